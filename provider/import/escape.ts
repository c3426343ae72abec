// Data (from Bitbucket or the command line) in the text files `import` writes: comments, YAML,
// Markdown and shell lines. Code values never come through here: the program's printer escapes them.

const hex = (code: number, digits: number) => code.toString(16).toUpperCase().padStart(digits, "0");

/**
 * The text on one line of printable ASCII: a backslash becomes `\\` and every other character outside
 * U+0020-U+007E (line terminators, controls, bidi controls, NUL, any non-ASCII) a `\uXXXX` escape, so
 * nothing in it can end a comment, a line or a code span, or reorder what is displayed around it.
 */
export function printableAscii(text: string): string {
  return text.replace(/[^\x20-\x5b\x5d-\x7e]/g, (c) => (c === "\\" ? "\\\\" : `\\u${hex(c.charCodeAt(0), 4)}`));
}

/**
 * A YAML double-quoted scalar holding exactly the text: JSON's escapes (which YAML shares) and only
 * printable ASCII, since YAML parsers disagree on whether U+0085, U+2028 and U+2029 break a line.
 * YAML cannot hold a lone surrogate: it becomes U+FFFD.
 */
export function yamlString(text: string): string {
  const wellFormed = text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
  return JSON.stringify(wellFormed).replace(/[^\x20-\x7e]/gu, (c) => {
    const code = c.codePointAt(0)!;
    return code > 0xffff ? `\\U${hex(code, 8)}` : `\\u${hex(code, 4)}`;
  });
}

/**
 * A Markdown code span showing the text as printableAscii: fenced by more backticks than it holds, so
 * it shows as written and is never markup or HTML. An empty text shows as one space.
 */
export function markdownCode(text: string): string {
  const shown = printableAscii(text);
  if (shown.trim() === "") return `\`${shown || " "}\``;
  const fence = "`".repeat(Math.max(...(shown.match(/`+/g) ?? [""]).map((run) => run.length)) + 1);
  // CommonMark strips one space from each end when both ends have one (and not only spaces), and a backtick must not touch the fence.
  const pad = /^`|`$/.test(shown) || (shown.startsWith(" ") && shown.endsWith(" ")) ? " " : "";
  return `${fence}${pad}${shown}${pad}${fence}`;
}

/** Text for a Markdown line (a heading): printableAscii, with every ASCII punctuation character backslash-escaped so none means markup. */
export function markdownText(text: string): string {
  return printableAscii(text).replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}

/** Controls, line and paragraph separators and bidi controls: a shell line must not carry them (they could end it or change what a reader sees). */
const shellUnsafe = (code: number) =>
  code < 0x20 ||
  (code >= 0x7f && code <= 0x9f) ||
  code === 0x2028 ||
  code === 0x2029 ||
  code === 0x200e ||
  code === 0x200f ||
  (code >= 0x202a && code <= 0x202e) ||
  (code >= 0x2066 && code <= 0x2069);
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The text as one shell word in single quotes (a quote inside as `'\''`), so nothing in it is expanded;
 * undefined when it holds a character `shellUnsafe` names or a lone surrogate.
 */
export function shellWord(text: string): string | undefined {
  const unsafe = LONE_SURROGATE.test(text) || [...text].some((c) => shellUnsafe(c.codePointAt(0)!));
  return unsafe ? undefined : `'${text.replace(/'/g, `'\\''`)}'`;
}
