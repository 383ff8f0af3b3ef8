export { ChurnMap } from "./churn-map.js";
export { ChurnSet } from "./churn-set.js";
