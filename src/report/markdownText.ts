/**
 * Text safe in GitHub Markdown: the seed's *emphasis* shown as written, and
 * nothing read as code, HTML or a table cell. GFM does not emphasise
 * underscores inside words (kvm_map_pasid), and our text has no others.
 */
export function mdText(s: string): string {
  return s.replace(/[\\`*<|]/g, (c) => `\\${c}`);
}

/** An inline code span; a backtick inside would end it early, so it becomes a quote. */
export function mdCode(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
export function anchor(heading: string): string {
  return heading.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}
