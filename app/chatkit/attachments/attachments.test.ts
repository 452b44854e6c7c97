import { describe, expect, it } from "vitest";
import { createTestUser, type TestUser } from "@/e2e/support/users";
import { useTestDatabase } from "@/e2e/support/test-database";
import { POST as chatkit } from "@/app/chatkit/route";
import { POST as upload, PUT as uploadPut } from "./[attachmentId]/upload/route";
import { GET as content } from "./[attachmentId]/content/route";

useTestDatabase({ ATTACHMENT_MAX_BYTES: "1024" });

type Attachment = {
  id: string;
  type: string;
  upload_descriptor?: { url: string; method: string };
  preview_url?: string;
};

async function createAttachment(user: TestUser, params: Record<string, unknown>) {
  return chatkit(
    new Request("http://app.test/chatkit", {
      method: "POST",
      headers: { ...user.headers, "content-type": "application/json" },
      body: JSON.stringify({ type: "attachments.create", params }),
    }),
    undefined,
  );
}

const params = (attachmentId: string) => ({ params: Promise.resolve({ attachmentId }) });

function multipart(user: TestUser | undefined, url: string, bytes: Uint8Array, field = "file") {
  const form = new FormData();
  form.set(field, new Blob([new Uint8Array(bytes)], { type: "image/png" }), "a.png");
  return new Request(url, { method: "POST", headers: user?.headers, body: form });
}

describe("two-phase attachment uploads", () => {
  it("create returns an upload descriptor on our own route; the upload stores the bytes; content serves them to the owner", async () => {
    const user = await createTestUser();
    const res = await createAttachment(user, { name: "cat.png", size: 4, mime_type: "image/png" });
    expect(res.status).toBe(200);
    const att = (await res.json()) as Attachment;
    expect(att.id).toMatch(/^atc_[0-9a-f]{16}$/);
    expect(att.upload_descriptor).toEqual({
      url: `http://app.test/chatkit/attachments/${att.id}/upload`,
      method: "POST",
      headers: {},
    });
    expect(att.preview_url).toBe(`http://app.test/chatkit/attachments/${att.id}/content`);
    expect(JSON.stringify(att)).not.toContain("metadata");

    const up = await upload(multipart(user, att.upload_descriptor!.url, new Uint8Array([1, 2, 3, 4])), params(att.id));
    expect(up.status).toBe(200);
    expect(((await up.json()) as Attachment).upload_descriptor).toBeUndefined();

    const got = await content(new Request("http://app.test/x", { headers: user.headers }), params(att.id));
    expect(got.status).toBe(200);
    expect(got.headers.get("content-type")).toBe("image/png");
    expect(got.headers.get("x-content-type-options")).toBe("nosniff");
    expect([...new Uint8Array(await got.arrayBuffer())]).toEqual([1, 2, 3, 4]);
  });

  it("accepts raw bytes on PUT and refuses a second upload with 409", async () => {
    const user = await createTestUser();
    const att = (await (
      await createAttachment(user, { name: "n.txt", size: 5, mime_type: "text/plain" })
    ).json()) as Attachment;
    const put = await uploadPut(
      new Request(att.upload_descriptor!.url, { method: "PUT", headers: user.headers, body: "hello" }),
      params(att.id),
    );
    expect(put.status).toBe(200);
    const again = await uploadPut(
      new Request(att.upload_descriptor!.url, { method: "PUT", headers: user.headers, body: "x" }),
      params(att.id),
    );
    expect(again.status).toBe(409);
  });

  it("refuses oversized and disallowed files with clear 4xx answers, storing nothing", async () => {
    const user = await createTestUser();
    const big = await createAttachment(user, { name: "big.png", size: 4096, mime_type: "image/png" });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { code: string }).code).toBe("attachment_too_large");
    const exe = await createAttachment(user, { name: "x.exe", size: 10, mime_type: "application/x-msdownload" });
    expect(exe.status).toBe(415);
    const att = (await (
      await createAttachment(user, { name: "a.png", size: 10, mime_type: "image/png" })
    ).json()) as Attachment;
    const tooBig = await upload(multipart(user, att.upload_descriptor!.url, new Uint8Array(2048)), params(att.id));
    expect(tooBig.status).toBe(413);
    const noFile = await upload(
      multipart(user, att.upload_descriptor!.url, new Uint8Array(3), "other"),
      params(att.id),
    );
    expect(noFile.status).toBe(400);
    const notYet = await content(new Request("http://app.test/x", { headers: user.headers }), params(att.id));
    expect(notYet.status).toBe(404);
  });

  it("another user cannot upload to, read or delete an attachment, and anonymous calls get 401", async () => {
    const owner = await createTestUser();
    const other = await createTestUser();
    const att = (await (
      await createAttachment(owner, { name: "a.png", size: 3, mime_type: "image/png" })
    ).json()) as Attachment;
    expect((await upload(multipart(other, att.upload_descriptor!.url, new Uint8Array(3)), params(att.id))).status).toBe(
      404,
    );
    expect(
      (await upload(multipart(undefined, att.upload_descriptor!.url, new Uint8Array(3)), params(att.id))).status,
    ).toBe(401);
    expect((await content(new Request("http://app.test/x", { headers: other.headers }), params(att.id))).status).toBe(
      404,
    );
    for (const bad of ["../etc/passwd", "atc_zz", "x".repeat(300)]) {
      expect((await content(new Request("http://app.test/x", { headers: owner.headers }), params(bad))).status).toBe(
        404,
      );
    }
    const del = await chatkit(
      new Request("http://app.test/chatkit", {
        method: "POST",
        headers: other.headers,
        body: JSON.stringify({ type: "attachments.delete", params: { attachment_id: att.id } }),
      }),
      undefined,
    );
    expect(del.status).toBe(404);
  });
});
