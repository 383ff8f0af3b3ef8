export const notATask = (a: number, b: number): number => a + b;
