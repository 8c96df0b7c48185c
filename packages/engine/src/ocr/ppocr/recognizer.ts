import sharp from 'sharp';
import type { Rect } from '../../model.ts';
import type { OcrToken } from '../page.ts';
import type { GreyImage } from '../rulings.ts';
import type { PpocrRuntime } from './runtime.ts';

/**
 * Line recognition with PP-OCR's CRNN (Shi et al. 2015, "An End-to-End Trainable Neural
 * Network for Image-based Sequence Recognition"): each detected line is scaled to the
 * network's height and read as a sequence of per-column class probabilities, decoded by CTC
 * best path (Graves et al. 2006): the most likely class per column, repeats merged, blanks
 * dropped. A character's columns say where it lies, which gives each word its own box.
 */

/** The recogniser's input height (PP-OCRv3/v4). */
const HEIGHT = 48;
/** Widest line image read at once (a 25:1 line); longer lines are squeezed to it. */
const MAX_WIDTH = 1200;
/** Lines read per inference: lines of similar length are batched (less padding). */
const BATCH = 8;

export interface RecognizedLine {
  rect: Rect;
  words: OcrToken[];
}

export async function recognizeLines(rt: PpocrRuntime, image: GreyImage, rects: Rect[]): Promise<RecognizedLine[]> {
  const crops = await Promise.all(rects.map((r) => lineImage(image, r)));
  const order = crops.map((_, i) => i).sort((a, b) => crops[a].width - crops[b].width);
  const out: RecognizedLine[] = new Array(rects.length);
  for (let start = 0; start < order.length; start += BATCH) {
    const batch = order.slice(start, start + BATCH);
    const width = Math.max(...batch.map((i) => crops[i].width));
    const input = new Float32Array(batch.length * 3 * HEIGHT * width); // 0 = mid grey after normalising
    batch.forEach((i, b) => {
      const crop = crops[i];
      for (let y = 0; y < HEIGHT; y++) {
        for (let x = 0; x < crop.width; x++) {
          const v = crop.data[y * crop.width + x] / 127.5 - 1;
          for (let c = 0; c < 3; c++) input[((b * 3 + c) * HEIGHT + y) * width + x] = v;
        }
      }
    });
    const feeds = { [rt.recognizer.inputNames[0]]: new rt.ort.Tensor('float32', input, [batch.length, 3, HEIGHT, width]) };
    const result = (await rt.recognizer.run(feeds))[rt.recognizer.outputNames[0]];
    const [, steps, classes] = result.dims as number[];
    const probs = result.data as Float32Array;
    batch.forEach((i, b) => {
      const rect = rects[i];
      // Columns map back onto the line's box: a step covers width/steps input pixels.
      const toPage = (crops[i].width > 0 ? (rect.x1 - rect.x0) / crops[i].width : 0) * (width / steps);
      out[i] = { rect, words: decode(probs.subarray(b * steps * classes, (b + 1) * steps * classes), steps, classes, rt.alphabet, rect, toPage) };
    });
  }
  return out;
}

/** The line cut out and scaled to the network's height, its width kept in proportion. */
async function lineImage(image: GreyImage, r: Rect): Promise<GreyImage> {
  const left = Math.max(0, Math.floor(r.x0)), top = Math.max(0, Math.floor(r.y0));
  const w = Math.max(1, Math.min(image.width, Math.ceil(r.x1)) - left);
  const h = Math.max(1, Math.min(image.height, Math.ceil(r.y1)) - top);
  const width = Math.max(8, Math.min(MAX_WIDTH, Math.round((w * HEIGHT) / h)));
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } })
    .extract({ left, top, width: w, height: h })
    .resize(width, HEIGHT, { fit: 'fill' })
    .toColourspace('b-w') // one channel out, as in (sharp otherwise returns sRGB)
    .raw()
    .toBuffer();
  return { data, width, height: HEIGHT };
}

/** CTC best path, split into words at spaces; a word's confidence is its letters' mean. */
function decode(probs: Float32Array, steps: number, classes: number, alphabet: string[], rect: Rect, toPage: number): OcrToken[] {
  const words: OcrToken[] = [];
  let text = '', sum = 0, first = -1, last = -1, previous = 0;
  const flush = () => {
    // Compatibility forms (full-width letters, digits and punctuation of the Chinese
    // dictionary) read as their plain equivalents.
    const t = text.normalize('NFKC').trim();
    if (t) {
      // A letter's peak sits inside it: half a step of margin either side.
      const x0 = rect.x0 + Math.max(0, first - 0.5) * toPage;
      const x1 = rect.x0 + Math.min(steps, last + 1.5) * toPage;
      words.push({ text: t, rect: { x0, y0: rect.y0, x1: Math.min(rect.x1, x1), y1: rect.y1 }, confidence: sum / text.length });
    }
    text = '';
    sum = 0;
    first = -1;
  };
  for (let t = 0; t < steps; t++) {
    let best = 0, p = -1;
    const row = t * classes;
    for (let c = 0; c < classes; c++) {
      if (probs[row + c] > p) {
        p = probs[row + c];
        best = c;
      }
    }
    if (best !== 0 && best !== previous) {
      const ch = alphabet[best] ?? '';
      if (ch === ' ') flush();
      else if (ch) {
        if (first < 0) first = t;
        last = t;
        text += ch;
        sum += p;
      }
    }
    previous = best;
  }
  flush();
  return words;
}
