export { formatTable } from "./format-table.js";
