import { describe, expect, it } from "vitest";
import { threadFromSearch, withThread } from "./thread-url";

describe("the open thread in the address", () => {
  it("reads a thread id from the query, ignoring anything that is not one", () => {
    expect(threadFromSearch("?thread=thr_0123abcd")).toBe("thr_0123abcd");
    expect(threadFromSearch("?x=1")).toBeNull();
    expect(threadFromSearch("?thread=%3Cscript%3E")).toBeNull();
    expect(threadFromSearch(`?thread=${"a".repeat(200)}`)).toBeNull();
  });

  it("sets or removes the thread and keeps the rest of the address", () => {
    expect(withThread("http://h/chat?x=1#top", "thr_1")).toBe("/chat?x=1&thread=thr_1#top");
    expect(withThread("http://h/chat?thread=thr_1&x=1", null)).toBe("/chat?x=1");
  });
});
