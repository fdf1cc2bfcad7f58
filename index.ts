export const version = "0.1.0";
export { memit } from "./magics/engines/memory/api";
export { MemitResult } from "./magics/render/memit-report";
export { MemitUsageError, MemitTimeoutError, type MemitOptions } from "./magics/engines/memory/memit";
