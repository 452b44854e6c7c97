import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AppHeader } from "@/app/components/app-header";
import { currentUser } from "@/lib/auth/require-user";
import { getEnv } from "@/lib/env";
import { signInUrl } from "@/lib/ui/api";
import { ChatWorkspace } from "./chat-workspace";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Chat · Facts Chat" };

export default async function ChatPage() {
  const user = await currentUser(new Request("http://local/", { headers: await headers() }));
  if (!user) redirect(signInUrl("/chat"));
  const { mode, domainKey } = getEnv().chatkit;
  return (
    <div className="flex min-h-dvh flex-col">
      <AppHeader current="chat" email={user.email} />
      <ChatWorkspace config={{ mode, domainKey }} />
    </div>
  );
}
