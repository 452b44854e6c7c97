export {
  deleteUserVectorStore,
  ensureUserVectorStore,
  findUserVectorStore,
  forgetUserVectorStore,
  memoryStoreName,
  MEMORY_STORE_EXPIRY_DAYS,
} from "./vector-store";
export { uploadFactToMemory, type FactMemoryEntry, type FactMemoryInput } from "./upload-fact";
