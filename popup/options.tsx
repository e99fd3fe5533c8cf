import { render } from "preact";
import { send } from "./api.js";
import { OptionsApp } from "./OptionsApp.js";
import "./style.css";

/** Saves `data` (one string, or parts joined in order without building one string) as a file. */
function download(name: string, data: string | string[]): void {
  const parts = typeof data === "string" ? [data] : data;
  const url = URL.createObjectURL(new Blob(parts, { type: "application/x-ndjson" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const root = document.getElementById("app");
if (root) render(<OptionsApp send={send} download={download} />, root);
