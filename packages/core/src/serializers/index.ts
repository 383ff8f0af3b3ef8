export type { Serializer } from "./serializer.js";
export { JsonSerializer } from "./json-serializer.js";
export { SuperJsonSerializer, type SuperJsonSerializerOptions } from "./super-json-serializer.js";
