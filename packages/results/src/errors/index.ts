export { StatusNotFoundError } from "./status-not-found-error.js";
export { ResultNotFoundError } from "./result-not-found-error.js";
