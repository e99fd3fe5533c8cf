import { render } from "preact";
import { send } from "./api.js";
import { OptionsApp } from "./OptionsApp.js";
import "./style.css";

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "application/x-ndjson" }));
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
