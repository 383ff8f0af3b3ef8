export { MODULE_EXTENSIONS, isModuleFile, isTypeScriptFile } from "./module-extensions.js";
export { resolveTarget, type ResolvedTarget } from "./resolve-target.js";
export { scanFolder } from "./scan-folder.js";
