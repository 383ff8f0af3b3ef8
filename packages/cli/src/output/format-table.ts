/**
 * Plain-text table: the first column left-aligned (names), the others right-aligned (counts),
 * columns separated by two spaces, one line per row, ending with a newline.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? "").length)));
  const nameColumns = header.indexOf("queue") + 1;
  return all
    .map((row) =>
      row
        .map((cell, column) => (column < nameColumns ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")
    .concat("\n");
}
