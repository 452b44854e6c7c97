import type { Metadata } from "next";
import { AppHeader } from "@/app/components/app-header";
import { requirePageUser } from "@/lib/auth/page-user";
import { getEnv } from "@/lib/env";
import { ChatWorkspace } from "./chat-workspace";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Chat · Facts Chat" };

export default async function ChatPage() {
  const user = await requirePageUser("/chat");
  const { mode, domainKey, ui } = getEnv().chatkit;
  return (
    <div className="flex min-h-dvh flex-col">
      <AppHeader current="chat" email={user.email} />
      <ChatWorkspace config={{ mode, domainKey }} ui={ui} />
    </div>
  );
}
