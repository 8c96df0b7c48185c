import { child, childElements, path, type XmlElement } from './xml.ts';

interface Level {
  format: string;
  text: string;
  start: number;
}

/**
 * Word list numbering (numbering.xml): which marker a numbered or bulleted paragraph shows.
 * Counters live per list instance (numId) and restart deeper levels when a shallower level
 * advances, as Word does.
 */
export class Numbering {
  private readonly abstractLevels = new Map<string, Map<number, Level>>();
  private readonly numToAbstract = new Map<string, string>();
  private readonly startOverrides = new Map<string, Map<number, number>>();
  private readonly counters = new Map<string, number[]>();

  constructor(doc: XmlElement | undefined) {
    const root = child(doc, 'w:numbering');
    for (const abs of childElements(root, 'w:abstractNum')) {
      const levels = new Map<number, Level>();
      for (const lvl of childElements(abs, 'w:lvl')) {
        levels.set(Number(lvl.attrs['w:ilvl'] ?? 0), {
          format: path(lvl, 'w:numFmt')?.attrs['w:val'] ?? 'decimal',
          text: path(lvl, 'w:lvlText')?.attrs['w:val'] ?? '',
          start: Number(path(lvl, 'w:start')?.attrs['w:val'] ?? 1),
        });
      }
      this.abstractLevels.set(abs.attrs['w:abstractNumId'], levels);
    }
    for (const num of childElements(root, 'w:num')) {
      const id = num.attrs['w:numId'];
      this.numToAbstract.set(id, path(num, 'w:abstractNumId')?.attrs['w:val'] ?? '');
      const overrides = new Map<number, number>();
      for (const o of childElements(num, 'w:lvlOverride')) {
        const start = path(o, 'w:startOverride')?.attrs['w:val'];
        if (start !== undefined) overrides.set(Number(o.attrs['w:ilvl'] ?? 0), Number(start));
      }
      this.startOverrides.set(id, overrides);
    }
  }

  /** Whether numId names a real list (numId 0 switches numbering off). */
  isList(numId: string | undefined): numId is string {
    return numId !== undefined && numId !== '0' && this.numToAbstract.has(numId);
  }

  private level(numId: string, ilvl: number): Level | undefined {
    return this.abstractLevels.get(this.numToAbstract.get(numId) ?? '')?.get(ilvl);
  }

  /** Advance the counter for (numId, ilvl) and return the marker to show ("1.", "a)", "•"). */
  next(numId: string, ilvl: number): string {
    const lvl = this.level(numId, ilvl);
    const counts = this.counters.get(numId) ?? [];
    const startOf = (i: number): number => this.startOverrides.get(numId)?.get(i) ?? this.level(numId, i)?.start ?? 1;
    counts[ilvl] = counts[ilvl] === undefined ? startOf(ilvl) : counts[ilvl] + 1;
    counts.length = ilvl + 1; // deeper levels restart
    this.counters.set(numId, counts);
    if (!lvl || lvl.format === 'bullet') return '•';
    if (lvl.format === 'none') return '';
    return lvl.text.replace(/%(\d)/g, (_, d: string) => {
      const i = Number(d) - 1;
      const fmt = this.level(numId, i)?.format ?? 'decimal';
      return formatNumber(counts[i] ?? startOf(i), fmt);
    });
  }
}

export function formatNumber(n: number, format: string): string {
  switch (format) {
    case 'lowerLetter': return letters(n).toLowerCase();
    case 'upperLetter': return letters(n);
    case 'lowerRoman': return roman(n).toLowerCase();
    case 'upperRoman': return roman(n);
    case 'decimalZero': return n < 10 ? `0${n}` : String(n);
    default: return String(n);
  }
}

function letters(n: number): string {
  // Word repeats the letter after z: aa, bb, …
  const k = Math.max(1, n);
  return String.fromCharCode(65 + ((k - 1) % 26)).repeat(Math.floor((k - 1) / 26) + 1);
}

function roman(n: number): string {
  const table: Array<[number, string]> = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
  let out = '';
  let rest = n;
  for (const [v, s] of table) while (rest >= v) { out += s; rest -= v; }
  return out;
}
