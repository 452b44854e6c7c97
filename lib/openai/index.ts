export { openaiClient, requireOpenAI, OPENAI_MAX_RETRIES } from "./client";
export { callOpenAI, describeOpenAIError, isOpenAINotFound, unlessOpenAINotFound } from "./errors";
