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
      const chars = bestPath(probs.subarray(b * steps * classes, (b + 1) * steps * classes), steps, classes, rt.alphabet);
      // A step covers width/steps columns of the line image.
      out[i] = { rect: rects[i], words: words(chars, crops[i], width / steps, rects[i]) };
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

interface Letter {
  text: string;
  /** The step (column of the network's output) of its peak. */
  step: number;
  p: number;
}

/** CTC best path: the likeliest class per step, repeats merged, blanks dropped. */
function bestPath(probs: Float32Array, steps: number, classes: number, alphabet: string[]): Letter[] {
  const letters: Letter[] = [];
  let previous = 0;
  for (let t = 0; t < steps; t++) {
    let best = 0, p = -1;
    const row = t * classes;
    for (let c = 0; c < classes; c++) {
      if (probs[row + c] > p) {
        p = probs[row + c];
        best = c;
      }
    }
    if (best !== 0 && best !== previous && alphabet[best]) letters.push({ text: alphabet[best], step: t, p });
    previous = best;
  }
  return letters;
}

/**
 * A blank stretch between two letters is a word space when it is well over the line's usual
 * gap between letters (monospaced receipt type spaces its letters widely, a space is a whole
 * letter more) and at least this share of the line image's height (in proportional type the
 * letters nearly touch; a space is about a quarter of the type size, the type about two
 * thirds of the detected line's height).
 */
const SPACE_GAP = 0.16;
const SPACE_TO_LETTER_GAP = 2.5;

/**
 * Letters grouped into words, at the spaces the model read and at the word gaps it left out
 * (the Chinese-trained recogniser often runs Latin words together: "GOODSSOLD"). A word's
 * box spans its letters' steps, half a step either side; its confidence is their mean.
 */
function words(letters: Letter[], crop: GreyImage, stepWidth: number, rect: Rect): OcrToken[] {
  const ink = inkColumns(crop);
  const toPage = crop.width > 0 ? (rect.x1 - rect.x0) / crop.width : 0;
  const out: OcrToken[] = [];
  let word: Letter[] = [];
  const flush = () => {
    const printed = word.filter((l) => l.text !== ' ');
    // Compatibility forms (the dictionary's full-width letters, digits and punctuation)
    // read as their plain equivalents.
    const text = printed.map((l) => l.text).join('').normalize('NFKC').trim();
    if (text) {
      const x0 = rect.x0 + Math.max(0, printed[0].step - 0.5) * stepWidth * toPage;
      const x1 = rect.x0 + (printed[printed.length - 1].step + 1.5) * stepWidth * toPage;
      const confidence = printed.reduce((sum, l) => sum + l.p, 0) / printed.length;
      out.push({ text, rect: { x0, y0: rect.y0, x1: Math.min(rect.x1, x1), y1: rect.y1 }, confidence });
    }
    word = [];
  };
  // The blank run after each letter up to the next one (none across a space the model read).
  const gaps = letters.map((l, k) => {
    const next = letters[k + 1];
    return next && l.text !== ' ' && next.text !== ' ' ? blankRun(ink, (l.step + 0.5) * stepWidth, (next.step + 0.5) * stepWidth) : -1;
  });
  const minGap = Math.max(SPACE_GAP * crop.height, SPACE_TO_LETTER_GAP * median(gaps.filter((g) => g >= 0)));
  letters.forEach((letter, k) => {
    if (letter.text === ' ') {
      flush();
      return;
    }
    if (k > 0 && gaps[k - 1] >= minGap) flush();
    word.push(letter);
  });
  flush();
  return out;
}

/**
 * Which columns of the line image hold ink, judged in its middle three fifths (the detected box's
 * margins can reach the lines above and below), dark meaning below the midpoint between its
 * darkest and lightest grey.
 */
function inkColumns(crop: GreyImage): Uint8Array {
  let lo = 255, hi = 0;
  for (const v of crop.data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const dark = (lo + hi) / 2;
  const ink = new Uint8Array(crop.width);
  for (let y = Math.floor(crop.height / 5); y < Math.ceil((4 * crop.height) / 5); y++) {
    for (let x = 0; x < crop.width; x++) if (crop.data[y * crop.width + x] < dark) ink[x] = 1;
  }
  return ink;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The longest run of inkless columns between two positions of the line image. */
function blankRun(ink: Uint8Array, from: number, to: number): number {
  let longest = 0, run = 0;
  for (let x = Math.max(0, Math.round(from)); x < Math.min(ink.length, Math.round(to)); x++) {
    run = ink[x] ? 0 : run + 1;
    if (run > longest) longest = run;
  }
  return longest;
}
