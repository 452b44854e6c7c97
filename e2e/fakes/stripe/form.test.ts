import { describe, expect, it } from "vitest";
import { metadataOf, parseForm } from "./form";

describe("Stripe form decoding in the fake", () => {
  it("turns bracketed keys into nested objects and numeric runs into arrays", () => {
    const body =
      "mode=subscription&line_items[0][price]=price_1&line_items[0][quantity]=1&metadata[user_id]=u%201" +
      "&subscription_data[metadata][micro_agent_id]=m1&expand[0]=subscription&success_url=https%3A%2F%2Fa%2Fs%3Fid%3D%7BCHECKOUT_SESSION_ID%7D";
    expect(parseForm(body)).toEqual({
      mode: "subscription",
      line_items: [{ price: "price_1", quantity: "1" }],
      metadata: { user_id: "u 1" },
      subscription_data: { metadata: { micro_agent_id: "m1" } },
      expand: ["subscription"],
      success_url: "https://a/s?id={CHECKOUT_SESSION_ID}",
    });
  });

  it("drops metadata keys sent empty, as Stripe unsets them", () => {
    expect(metadataOf(parseForm("metadata[a]=1&metadata[b]=").metadata)).toEqual({ a: "1" });
  });
});
