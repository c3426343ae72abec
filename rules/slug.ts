// Repository slugs follow Atlassian's rules: ASCII letters, digits, `_`, `-` and `.`, lower case,
// at most 62 characters; accents are folded and any run of other characters becomes one `-`.

export const MAX_SLUG_LENGTH = 62;

// Letters that carry no combining mark, so NFKD cannot fold them.
const LETTER_FOLDS: Record<string, string> = {
  ø: "o",
  Ø: "o",
  æ: "ae",
  Æ: "ae",
  œ: "oe",
  Œ: "oe",
  ß: "ss",
  đ: "d",
  Đ: "d",
  ð: "d",
  Ð: "d",
  ł: "l",
  Ł: "l",
  þ: "th",
  Þ: "th",
  ı: "i",
  ħ: "h",
  Ħ: "h",
};

export function slugify(name: string): string {
  const folded = Array.from(name, (ch) => LETTER_FOLDS[ch] ?? ch)
    .join("")
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase();
  // A `-` next to other separators belongs to the same run (`a@b!-#c` → `a-b-c`).
  const slug = folded.replace(/[^a-z0-9_.]+/g, "-").replace(/^-+|-+$/g, "");
  return slug.slice(0, MAX_SLUG_LENGTH).replace(/-+$/, "");
}

export function isValidSlug(slug: string): boolean {
  return slug.length > 0 && slugify(slug) === slug;
}
