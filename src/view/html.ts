/** Text and attributes safe inside HTML, and JSON safe inside a <script> element. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON for a `<script type="application/json">`: no `<` can end the element early, nor U+2028/9 break a line. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * The page may load nothing from anywhere: no network, no file beside it
 * (it must open from a CI artifact or a mail attachment as it is).
 */
export const NO_NETWORK_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";
