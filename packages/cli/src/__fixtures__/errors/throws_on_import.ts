export const value = 1;
throw new Error("boom: this task module cannot be configured");
