/**
 * Uploads from a path on disk (Node only). The Node built-ins are imported by a computed name
 * so that browser bundlers never pull `node:fs` into the main entry, and so the same code
 * runs compiled to ES modules and to CommonJS.
 */
type Fs = typeof import('node:fs');
type FsPromises = typeof import('node:fs/promises');
type Path = typeof import('node:path');

function nodeBuiltin<T>(name: string): Promise<T> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ `node:${name}`) as Promise<T>;
}

/** A `File` backed by the file on disk: read when sent, so a retry can read it again. */
export async function fileFromPath(path: string, name?: string, type = ''): Promise<File> {
  if (typeof process === 'undefined' || !process.versions?.node) {
    throw new TypeError('upload: a file path can only be uploaded in Node; pass a File or Blob in the browser');
  }
  const [fs, fsp, paths] = await Promise.all([nodeBuiltin<Fs>('fs'), nodeBuiltin<FsPromises>('fs/promises'), nodeBuiltin<Path>('path')]);
  // openAsBlob's own error ("Unable to open file as blob") names neither the file nor the cause.
  const info = await fsp.stat(path);
  if (!info.isFile()) throw new Error(`${path} is not a file`);
  const blob = await fs.openAsBlob(path, { type });
  return new File([blob], name ?? paths.basename(path), { type });
}
