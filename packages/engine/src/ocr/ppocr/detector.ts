import sharp from 'sharp';
import type { Rect } from '../../model.ts';
import type { GreyImage } from '../rulings.ts';
import type { PpocrRuntime } from './runtime.ts';

/**
 * Text detection with PP-OCR's DB network (Liao et al. 2020, "Real-time Scene Text Detection
 * with Differentiable Binarization"): the network marks, per pixel, the probability of lying
 * inside a text line's shrunk core; the cores are the connected regions above a threshold,
 * grown back by the margin the training shrank them by ("unclip").
 *
 * Boxes are upright rectangles: the page reader has already turned and deskewed the page.
 */

/**
 * Longest side the network sees (PaddleOCR's default): larger pages are scaled down, since the
 * cost grows with the area; lines are cut from the full-size page for recognition.
 */
const MAX_SIDE = 960;
/** The network's strides need sides that are multiples of 32. */
const STRIDE = 32;
/** ImageNet statistics, which PP-OCR's detector was trained with. */
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];
/** PaddleOCR's defaults: pixel threshold, mean probability of a kept region, unclip ratio. */
const PIXEL_THRESHOLD = 0.3;
const BOX_THRESHOLD = 0.6;
const UNCLIP_RATIO = 1.5;
/** Regions thinner than this (in the network's pixels) are specks. */
const MIN_SIDE = 3;

export interface DetectedBox {
  rect: Rect;
  score: number;
}

export async function detectText(rt: PpocrRuntime, image: GreyImage): Promise<DetectedBox[]> {
  const scale = Math.min(1, MAX_SIDE / Math.max(image.width, image.height));
  const width = Math.max(STRIDE, Math.round((image.width * scale) / STRIDE) * STRIDE);
  const height = Math.max(STRIDE, Math.round((image.height * scale) / STRIDE) * STRIDE);
  const pixels = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } })
    .resize(width, height, { fit: 'fill' })
    .toColourspace('b-w') // one channel out, as in (sharp otherwise returns sRGB)
    .raw()
    .toBuffer();
  const input = new Float32Array(3 * width * height);
  const plane = width * height;
  for (let i = 0; i < plane; i++) {
    const v = pixels[i] / 255;
    for (let c = 0; c < 3; c++) input[c * plane + i] = (v - MEAN[c]) / STD[c];
  }
  const feeds = { [rt.detector.inputNames[0]]: new rt.ort.Tensor('float32', input, [1, 3, height, width]) };
  const output = await rt.detector.run(feeds);
  const map = output[rt.detector.outputNames[0]].data as Float32Array;
  const sx = image.width / width, sy = image.height / height;
  return regions(map, width, height).map((r) => {
    // The shrunk core grows back by area × ratio / perimeter (DB's unclip distance).
    const w = r.x1 - r.x0, h = r.y1 - r.y0;
    const d = (w * h * UNCLIP_RATIO) / (2 * (w + h));
    return {
      score: r.score,
      rect: {
        x0: Math.max(0, (r.x0 - d) * sx), y0: Math.max(0, (r.y0 - d) * sy),
        x1: Math.min(image.width, (r.x1 + d) * sx), y1: Math.min(image.height, (r.y1 + d) * sy),
      },
    };
  });
}

interface Region { x0: number; y0: number; x1: number; y1: number; score: number }

/** Connected regions (8-neighbourhood) of the thresholded map, with their mean probability. */
function regions(map: Float32Array, width: number, height: number): Region[] {
  const label = new Int32Array(width * height).fill(-1);
  const stack: number[] = [];
  const out: Region[] = [];
  for (let start = 0; start < map.length; start++) {
    if (label[start] >= 0 || map[start] <= PIXEL_THRESHOLD) continue;
    const id = out.length;
    let x0 = width, y0 = height, x1 = 0, y1 = 0, sum = 0, n = 0;
    label[start] = id;
    stack.push(start);
    while (stack.length > 0) {
      const p = stack.pop()!;
      const x = p % width, y = (p - x) / width;
      sum += map[p];
      n++;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (label[q] < 0 && map[q] > PIXEL_THRESHOLD) {
            label[q] = id;
            stack.push(q);
          }
        }
      }
    }
    out.push({ x0, y0, x1: x1 + 1, y1: y1 + 1, score: sum / n });
  }
  return out.filter((r) => r.score >= BOX_THRESHOLD && Math.min(r.x1 - r.x0, r.y1 - r.y0) >= MIN_SIDE);
}
