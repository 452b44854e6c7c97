export {
  deleteUserVectorStore,
  ensureUserVectorStore,
  findUserVectorStore,
  forgetUserVectorStore,
  memoryStoreName,
  MEMORY_STORE_EXPIRY_DAYS,
} from "./vector-store";
export { uploadFactToMemory, type FactMemoryEntry, type FactMemoryInput } from "./upload-fact";
export { drainMemoryFileChecks, queueMemoryRefill } from "./file-checks";
export { MEMORY_INDEX_MAX_FAILURES } from "./limits";
