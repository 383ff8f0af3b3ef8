/**
 * HTML built from template literals in which every interpolated value is escaped unless it is
 * itself {@link SafeHtml}. Payloads, task names, errors and stacks are untrusted: they come from
 * whoever submitted a message, so no page ever concatenates them into markup by hand.
 */
export class SafeHtml {
  /** The markup, already safe to send. */
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

/** Escape text for use in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c);
}

/** A value that may appear inside {@link html}: text is escaped, arrays are joined, nullish is empty. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join("");
  return escapeHtml(String(value));
}

/** Tagged template: `html\`<td>${untrusted}</td>\`` escapes `untrusted`. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? "");
  });
  return new SafeHtml(out);
}

/** Trusted markup produced by this package (never user data). */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
