/**
 * Natural-language fill instructions read without a model: one clause per line or
 * semicolon, each "Label: value", "Label = value", "set/fill Label to/with value",
 * "Label is value", or "check/uncheck Label".
 */
export interface Instruction {
  label: string;
  value: string;
}

const PATTERNS: Array<[RegExp, (m: RegExpExecArray) => Instruction]> = [
  [/^(?:please\s+)?(un)?(?:check|tick|select|mark)\s+(?:the\s+)?(.+?)(?:\s+box)?$/i, (m) => ({ label: m[2], value: m[1] ? 'no' : 'yes' })],
  [/^(?:please\s+)?(?:set|fill(?:\s+in)?|enter|put|write)\s+(?:the\s+)?(.+?)\s+(?:to|with|as|=)\s+(.+)$/i, (m) => ({ label: m[1], value: m[2] })],
  [/^(.{1,80}?)\s*[:=]\s*(.+)$/, (m) => ({ label: m[1], value: m[2] })],
  [/^(?:the\s+)?(.{1,60}?)\s+(?:is|should be|will be)\s+(.+)$/i, (m) => ({ label: m[1], value: m[2] })],
];

export function readInstructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  for (const raw of text.split(/\r?\n|;|\.\s+(?=[A-Z])/)) {
    const clause = raw.trim().replace(/[.]$/, '').replace(/^[-*•]\s*/, '');
    if (!clause) continue;
    for (const [re, make] of PATTERNS) {
      const m = re.exec(clause);
      if (!m) continue;
      const ins = make(m);
      out.push({ label: ins.label.trim().replace(/^["']|["']$/g, ''), value: ins.value.trim().replace(/^["']|["']$/g, '') });
      break;
    }
  }
  return out;
}
