/**
 * Folio Studio — the browser page. Everything goes through @folio/sdk, exactly as a user's
 * own code would: upload, parse.runJob, job.wait (progress), job.getAll/cancel/delete.
 */
import { Folio, JobCancelledError, type Block, type FullResult, type JobGetResponse, type ParseOptions, type ParseResponse } from '@folio/sdk';
import { renderPages, type PageSource } from './pages.ts';
import { JobsTable } from './jobs-table.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const keyInput = $<HTMLInputElement>('api-key');
keyInput.value = localStorage.getItem('folio-api-key') ?? '';
keyInput.addEventListener('change', () => {
  localStorage.setItem('folio-api-key', keyInput.value);
  void jobs.load();
});

const client = () => new Folio({ baseURL: location.origin, apiKey: keyInput.value || null, maxRetries: 1 });

/** Sources of documents parsed in this tab, so their pages can be drawn under the boxes. */
const sources = new Map<string, PageSource>();
let running: string | null = null;

function showError(err: unknown): void {
  const el = $('error');
  el.hidden = false;
  el.textContent = err instanceof Error ? err.message : String(err);
}

function setProgress(percent: number, text: string): void {
  $('progress').hidden = false;
  $('bar-fill').style.width = `${Math.max(0, Math.min(100, percent))}%`;
  $('progress-text').textContent = text;
}

const jobs = new JobsTable(client, $<HTMLTableElement>('jobs').tBodies[0], $<HTMLButtonElement>('more'), {
  open: (id) => void openJob(id),
  error: showError,
});

// ---- the parse form ----
const fileInput = $<HTMLInputElement>('file');
const drop = $('drop');
fileInput.addEventListener('change', () => {
  $('drop-label').textContent = fileInput.files?.[0]?.name ?? 'Drop a file here or click to choose';
});
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  if (e.dataTransfer?.files.length) {
    fileInput.files = e.dataTransfer.files;
    fileInput.dispatchEvent(new Event('change'));
  }
});

function pageRange(text: string): Array<{ start: number; end: number }> | undefined {
  if (!text.trim()) return undefined;
  return text.split(',').map((part) => {
    const [a, b] = part.split('-').map((s) => Number(s.trim()));
    if (!Number.isInteger(a) || (b !== undefined && !Number.isInteger(b))) throw new Error(`Cannot read page range "${part}"`);
    return { start: a, end: b ?? a };
  });
}

function optionsFromForm(): ParseOptions {
  const value = (id: string) => $<HTMLInputElement | HTMLSelectElement>(id).value;
  const checked = (id: string) => $<HTMLInputElement>(id).checked;
  return {
    formatting: { table_output_format: value('table-format') as 'dynamic', add_page_markers: checked('page-markers') },
    retrieval: { chunking: { chunk_mode: value('chunk-mode') as 'disabled' } },
    settings: { page_range: pageRange(value('page-range')), extraction_mode: checked('ocr') ? 'ocr' : 'hybrid' },
  };
}

$('parse-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('error').hidden = true;
  const button = $<HTMLButtonElement>('parse');
  button.disabled = true;
  try {
    const file = fileInput.files?.[0];
    const url = $<HTMLInputElement>('url').value.trim();
    if (!file && !url) throw new Error('Choose a file or enter a URL');
    const options = optionsFromForm();
    setProgress(0, file ? `Uploading ${file.name}…` : 'Submitting…');
    const input = file ? (await client().upload({ file })).file_id : url;
    const { job_id } = await client().parse.runJob({ input, ...options });
    if (file) sources.set(job_id, await sourceOf(file));
    void jobs.load();
    await watch(job_id);
  } catch (err) {
    showError(err);
  } finally {
    button.disabled = false;
  }
});

async function sourceOf(file: File): Promise<PageSource> {
  if (file.type === 'application/pdf' || /\.pdf$/i.test(file.name)) return { kind: 'pdf', bytes: new Uint8Array(await file.arrayBuffer()) };
  if (file.type.startsWith('image/')) return { kind: 'image', url: URL.createObjectURL(file) };
  return { kind: 'none' };
}

/** The document of a job parsed elsewhere (or earlier), fetched from the server when it kept it. */
async function storedSource(jobId: string): Promise<PageSource> {
  try {
    const doc = await client().job.document(jobId);
    const source: PageSource = doc.contentType === 'application/pdf'
      ? { kind: 'pdf', bytes: doc.bytes }
      : doc.contentType.startsWith('image/') ? { kind: 'image', url: URL.createObjectURL(new Blob([doc.bytes as Uint8Array<ArrayBuffer>], { type: doc.contentType })) } : { kind: 'none' };
    sources.set(jobId, source);
    return source;
  } catch {
    return { kind: 'none' }; // a URL input, or an upload past its 24 h: boxes on blank pages
  }
}

// ---- watching and showing a job ----
$('cancel').addEventListener('click', async () => {
  if (!running) return;
  try {
    await client().job.cancel(running);
  } catch (err) {
    showError(err);
  }
});

async function watch(jobId: string): Promise<void> {
  running = jobId;
  $<HTMLButtonElement>('cancel').disabled = false;
  try {
    const job = await client().job.wait(jobId, {
      pollInterval: 200,
      maxPollInterval: 1000,
      onProgress: (p, j) => setProgress(p, `${j.status} · ${Math.round(p)}%${j.total_pages ? ` · ${j.total_pages} pages` : ''}`),
    });
    setProgress(100, `Completed in ${(job.duration ?? 0).toFixed(1)} s`);
    await show(jobId, job);
  } catch (err) {
    setProgress(0, err instanceof JobCancelledError ? 'Cancelled' : 'Failed');
    showError(err);
  } finally {
    running = null;
    $<HTMLButtonElement>('cancel').disabled = true;
    void jobs.load();
  }
}

async function openJob(jobId: string): Promise<void> {
  $('error').hidden = true;
  try {
    const job = await client().job.get(jobId);
    if (job.status === 'Completed') await show(jobId, job);
    else if (job.status === 'Failed' || job.status === 'Cancelled') showError(`Job ${jobId} ${job.status.toLowerCase()}: ${job.reason ?? ''}`);
    else await watch(jobId);
  } catch (err) {
    showError(err);
  }
}

async function show(jobId: string, job: JobGetResponse): Promise<void> {
  history.replaceState(null, '', `#job=${jobId}`); // a link to this view
  const response = job.result as ParseResponse | undefined;
  $('result-title').textContent = `${job.type ?? ''} job ${jobId}`;
  $('tab-json').textContent = JSON.stringify(job, null, 2);
  if (!response || job.type && job.type !== 'Parse') {
    selectTab('json');
    return;
  }
  const full = (await client().fetchUrlResult(response)).result as FullResult;
  $('tab-markdown').textContent = full.chunks.map((c) => c.content).join('\n\n');
  $('tab-json').textContent = JSON.stringify({ ...job, result: { ...response, result: full } }, null, 2);
  renderChunks(full);
  await renderPages($('tab-pages'), full, sources.get(jobId) ?? (await storedSource(jobId)), showBlock);
  selectTab('pages');
}

function renderChunks(full: FullResult): void {
  const container = $('tab-chunks');
  container.replaceChildren();
  full.chunks.forEach((chunk, i) => {
    const div = document.createElement('div');
    div.className = 'chunk';
    const title = document.createElement('h3');
    const pages = [...new Set(chunk.blocks.map((b) => b.bbox.page))].join(', ');
    title.textContent = `Chunk ${i + 1} · ${chunk.content.length} chars · ${chunk.blocks.length} blocks · pages ${pages || '–'}`;
    const pre = document.createElement('pre');
    pre.textContent = chunk.content;
    div.append(title, pre);
    container.append(div);
  });
}

function showBlock(block: Block): void {
  const el = $('block-detail');
  el.hidden = false;
  const { left, top, width, height, page } = block.bbox;
  el.textContent = `${block.type} · page ${page} · [${[left, top, width, height].map((n) => n.toFixed(3)).join(', ')}]\n\n${block.content}`;
}

function selectTab(name: string): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('#tabs button')) {
    button.classList.toggle('active', button.dataset.tab === name);
    $(`tab-${button.dataset.tab}`).hidden = button.dataset.tab !== name;
  }
}
for (const button of document.querySelectorAll<HTMLButtonElement>('#tabs button')) {
  button.addEventListener('click', () => selectTab(button.dataset.tab!));
}
$('block-detail').addEventListener('click', () => ($('block-detail').hidden = true));
$('refresh').addEventListener('click', () => void jobs.load());

// `/#job=<id>` opens that job (the link a finished parse leaves in the address bar).
const linked = /^#job=([\w-]+)$/.exec(location.hash);
if (linked) void openJob(linked[1]);

client().apiVersion().then((v) => ($('version').textContent = `server ${v}`), () => undefined);
void jobs.load();
