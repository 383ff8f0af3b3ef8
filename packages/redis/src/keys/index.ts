export { KeyLayout, escapeGlob } from "./key-layout.js";
