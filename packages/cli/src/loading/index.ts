export { collectTasks, isTask, type FoundTask } from "./collect-tasks.js";
export { loadTasks } from "./load-tasks.js";
export { registerTypeScript } from "./register-typescript.js";
