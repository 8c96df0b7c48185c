import { simpleParser } from 'mailparser';
import { createRequire } from 'node:module';
import type * as msgreader from '@kenjiuno/msgreader';
import type { Reader } from '../parse.ts';
import { readDocument } from '../parse.ts';
import { EngineError, throwIfAborted } from '../errors.ts';
import { damaged } from '../read-failure.ts';
import type { ParseOptions, RunContext } from '../options.ts';
import { Flow } from './flow.ts';
import { htmlToFlow } from './html.ts';
import { textToFlow } from './text.ts';

// msgreader is CommonJS with the class on `exports.default`, which ESM default imports miss.
const MsgReader = createRequire(import.meta.url)('@kenjiuno/msgreader').default as typeof msgreader.default.default;
type MsgReaderClass = InstanceType<typeof MsgReader>;

/** How deep e-mails attached to e-mails are followed. */
const MAX_ATTACHMENT_DEPTH = 3;

/** A message reduced to what both EML and MSG provide. */
interface Message {
  headers: Array<[string, string]>;
  subject?: string;
  html?: string;
  text?: string;
  attachments: Array<{ filename: string; content: Uint8Array }>;
}

/** EML (RFC 822/MIME) reader, via mailparser. */
export const readEml: Reader = async (bytes, _format, options, ctx) => {
  let mail;
  try {
    mail = await simpleParser(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch {
    throw damaged('eml', 'its MIME structure is invalid');
  }
  const addr = (a: typeof mail.to): string => (Array.isArray(a) ? a.map((x) => x.text).join(', ') : (a?.text ?? ''));
  const message: Message = {
    headers: [['From', addr(mail.from)], ['To', addr(mail.to)], ['Cc', addr(mail.cc)], ['Date', mail.date?.toISOString() ?? ''], ['Subject', mail.subject ?? '']],
    subject: mail.subject,
    html: typeof mail.html === 'string' ? mail.html : undefined,
    text: mail.text,
    // Inline parts referenced from the HTML body (cid: images) are part of the body, not attachments.
    attachments: mail.attachments
      .filter((a) => !(a.related && a.contentDisposition === 'inline'))
      .map((a, i) => ({ filename: a.filename ?? `attachment-${i + 1}`, content: new Uint8Array(a.content) })),
  };
  return messageToDocument(message, options, ctx);
};

/** Outlook MSG (OLE compound file) reader, via @kenjiuno/msgreader. */
export const readMsg: Reader = async (bytes, _format, options, ctx) => {
  let reader: MsgReaderClass;
  let data;
  try {
    reader = new MsgReader(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    data = reader.getFileData();
  } catch {
    throw damaged('msg', 'its compound-file structure is invalid');
  }
  if (data.error) throw damaged('msg', 'its compound-file structure is invalid');
  // msgreader reads any OLE file without complaint; a message has at least one of these.
  if (!data.subject && !data.body && !data.bodyHtml && !data.html && !data.senderEmail && !data.senderName && !data.recipients?.length && !data.attachments?.length) {
    throw new EngineError('DOCUMENT_CORRUPT', 'The file is not an Outlook message (no headers, body or attachments found)');
  }
  const recipients = (kind: string): string =>
    (data.recipients ?? []).filter((r) => (r.recipType ?? 'to') === kind).map((r) => (r.email ? `${r.name ?? ''} <${r.email}>`.trim() : (r.name ?? ''))).join(', ');
  const from = data.senderEmail ? `${data.senderName ?? ''} <${data.senderEmail}>`.trim() : (data.senderName ?? '');
  const message: Message = {
    headers: [['From', from], ['To', recipients('to')], ['Cc', recipients('cc')], ['Date', data.messageDeliveryTime ?? data.clientSubmitTime ?? ''], ['Subject', data.subject ?? '']],
    subject: data.subject,
    html: data.bodyHtml ?? (data.html ? new TextDecoder().decode(data.html) : undefined),
    text: data.body,
    attachments: [],
  };
  for (const att of data.attachments ?? []) {
    if (att.attachmentHidden || att.innerMsgContent) continue;
    const file = reader.getAttachment(att);
    message.attachments.push({ filename: file.fileName || att.fileName || 'attachment', content: file.content });
  }
  return messageToDocument(message, options, ctx);
};

/**
 * Headers as Key Value blocks, the body (HTML preferred, else text), then each attachment
 * read as a document of its own on the pages after the body, its blocks tagged with its name.
 */
async function messageToDocument(message: Message, options: ParseOptions, ctx: RunContext) {
  const flow = new Flow('e-mail');
  for (const [key, value] of message.headers) {
    if (value.trim()) flow.add({ type: 'Key Value', key, value, text: `${key}: ${value}` });
  }
  if (message.html?.trim()) htmlToFlow(message.html, flow, options, { mainContent: false });
  else if (message.text?.trim()) textToFlow(message.text, flow);

  const depth = ctx.attachmentDepth ?? 0;
  // page_range selects pages of the whole result, so attachments are read whole.
  const inner: ParseOptions = { ...options, settings: { ...options.settings, page_range: null, force_file_extension: null } };
  for (const att of message.attachments) {
    throwIfAborted(ctx.signal);
    if (depth >= MAX_ATTACHMENT_DEPTH) break;
    try {
      const doc = await readDocument(att.content, inner, { signal: ctx.signal, filename: att.filename, attachmentDepth: depth + 1 });
      flow.appendDocument(doc, att.filename);
    } catch (err) {
      if (err instanceof EngineError && err.code === 'JOB_CANCELLED') throw err;
      // One unreadable attachment must not fail the message: say what happened in its place.
      const reason = err instanceof EngineError ? err.message : 'unexpected error';
      flow.newPage(att.filename);
      flow.add({ type: 'Text', text: `Attachment ${att.filename} was not parsed: ${reason}`, source: att.filename, confidence: 0.5 });
    }
  }
  return flow.finish(options, { title: message.subject ?? null });
}
