import "server-only";
export { deleteUserVectorStore, ensureUserVectorStore, findUserVectorStore } from "./vector-store";
export { uploadFactToMemory } from "./upload-fact";
export { drainMemoryFileChecks, queueMemoryRefill } from "./file-checks";
export { MEMORY_INDEX_MAX_FAILURES } from "./limits";
