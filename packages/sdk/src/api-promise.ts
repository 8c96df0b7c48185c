/**
 * What every SDK call returns: a Promise of the parsed body that also offers the raw
 * `Response` — `.asResponse()` and `.withResponse()`, as in reductoai. The body is parsed
 * only when the promise is awaited (or `.withResponse()` is called), so `.asResponse()`
 * leaves it unread for the caller.
 */
export class APIPromise<T> extends Promise<T> {
  private parsed: Promise<T> | undefined;

  constructor(
    private readonly responsePromise: Promise<Response>,
    private readonly parseBody: (response: Response) => Promise<T>,
  ) {
    // The executor must not read the response: then/catch/finally below parse on demand.
    super((resolve) => resolve(null as T));
  }

  /** The raw response, body unread (headers, status, streaming). */
  asResponse(): Promise<Response> {
    return this.responsePromise;
  }

  /** The parsed body and the response it came from (its body already read). */
  async withResponse(): Promise<{ data: T; response: Response }> {
    const [data, response] = await Promise.all([this.parse(), this.responsePromise]);
    return { data, response };
  }

  private parse(): Promise<T> {
    this.parsed ??= this.responsePromise.then(this.parseBody);
    return this.parsed;
  }

  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.parse().then(onfulfilled, onrejected);
  }

  override catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.parse().catch(onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.parse().finally(onfinally);
  }
}
