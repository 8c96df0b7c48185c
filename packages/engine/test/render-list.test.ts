import { describe, expect, it } from 'vitest';
import { blockContent, blockMarkdown } from '../src/render/block.ts';
import type { DocBlock } from '../src/model.ts';

const item = (text: string, listMarker: string): DocBlock => ({
  type: 'List Item', text, listMarker, listLevel: 0, confidence: 1,
  box: { left: 0, top: 0, width: 1, height: 0.1, page: 1, original_page: 1 },
});

describe('list item rendering', () => {
  it('keeps a numbering marker in the block content, not a bullet', () => {
    expect(blockContent(item('Does it have providers?', '23.'), 'html')).toBe('23. Does it have providers?');
    expect(blockContent(item('Sub item', '(b)'), 'html')).toBe('(b) Sub item');
    expect(blockContent(item('Plain bullet', '•'), 'html')).toBe('Plain bullet');
  });

  it('writes the marker once in Markdown', () => {
    expect(blockMarkdown(item('Does it have providers?', '23.'), 'html')).toBe('23. Does it have providers?');
    expect(blockMarkdown(item('Plain bullet', '•'), 'html')).toBe('- Plain bullet');
    expect(blockMarkdown(item('Sub item', '(b)'), 'html')).toBe('- (b) Sub item');
  });
});
