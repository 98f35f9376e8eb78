/** Kernel and language of a notebook: kernelspec.language, else language_info.name, else inferred from the kernel name. */
import type { Kernel } from '../../catalog/contract/index.js';
import { type Notebook, asString, isObject } from './notebook.js';

/** Kernel names that do not spell their language (IRkernel is "ir", IJulia "julia-1.9", xeus "xcpp17"…). */
const KERNEL_NAME_LANGUAGES: [RegExp, string][] = [
  [/^(python|ipython|py|conda-env-.*-py|pyspark|xpython)/, 'python'],
  [/^(ir|r|conda-env-.*-r|xr)(\b|[-_\d]|$)/, 'r'],
  [/^julia/, 'julia'],
  [/^(xcpp|cling)/, 'c++'],
  [/^(bash|sh|zsh)$/, 'bash'],
  [/^(octave|matlab|imatlab)/, 'octave'],
  [/^(scala|spylon|almond)/, 'scala'],
  [/^(java|ijava)/, 'java'],
  [/^(javascript|ijavascript|tslab|deno)/, 'javascript'],
  [/^(sos)$/, 'sos'],
  [/^(sagemath|sage)/, 'sage'],
  [/^(evcxr|rust)/, 'rust'],
  [/^(gophernotes|go)$/, 'go'],
];

/** How ESAP spelled languages for `runtimePlatform`. */
const PLATFORMS: Record<string, string> = { python: 'Python', r: 'R', julia: 'Julia', java: 'Java', 'c++': 'C++', javascript: 'JavaScript', scala: 'Scala', octave: 'Octave', bash: 'Bash', rust: 'Rust', go: 'Go', sage: 'SageMath' };

const LANGUAGE = /^[a-z][a-z0-9+#._-]*$/;

export function normaliseLanguage(value: string | null | undefined): string | null {
  if (!value) return null;
  let language = value.trim().toLowerCase().replace(/\s+/g, '-');
  if (/^python\d/.test(language) || language === 'ipython' || language === 'ipython3') language = 'python';
  if (language === 'plaintext' || language === 'text' || language === '') return null;
  return LANGUAGE.test(language) && language.length <= 100 ? language : null;
}

export function languageFromKernelName(name: string): string | null {
  const lower = name.toLowerCase();
  for (const [pattern, language] of KERNEL_NAME_LANGUAGES) if (pattern.test(lower)) return language;
  return null;
}

export function kernelOf(notebook: Notebook): { kernel: Kernel | null; language: string | null } {
  const spec = isObject(notebook.metadata.kernelspec) ? notebook.metadata.kernelspec : null;
  const info = isObject(notebook.metadata.language_info) ? notebook.metadata.language_info : null;
  const name = clip(asString(spec?.name)?.trim() || null, 200);
  const displayName = clip(asString(spec?.display_name)?.trim() || null, 200);
  const language =
    normaliseLanguage(asString(spec?.language)) ??
    normaliseLanguage(asString(info?.name)) ??
    (name ? languageFromKernelName(name) : null) ??
    normaliseLanguage(notebook.cells.find((cell) => cell.language)?.language) ??
    (notebook.major === 3 ? 'python' : null);
  return { kernel: name ? { name, displayName, language } : null, language };
}

export function runtimePlatform(language: string | null): string | null {
  if (!language) return null;
  return PLATFORMS[language] ?? language.charAt(0).toUpperCase() + language.slice(1);
}

function clip(text: string | null, max: number): string | null {
  return text === null ? null : text.slice(0, max);
}
