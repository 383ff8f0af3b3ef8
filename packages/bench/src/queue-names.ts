/** Queue both libraries use for the main scenarios (each under its own key prefix). */
export const BENCH_QUEUE = "bench";

/** Environment variable through which the bench tells its Alsek task module (and so every worker) where Redis is. */
export const REDIS_URL_ENV = "ALSEK_BENCH_REDIS_URL";
