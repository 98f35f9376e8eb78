/**
 * The staging cell in R: base R (`download.file`, `system2`), Zenodo records read with jsonlite when it is
 * installed. All values are R string literals from `rString`; titles appear only in one-line comments.
 */
import { commentText, rString as r } from './literals.js';
import type { Staging, Step } from './steps.js';

function call(step: Step): string {
  switch (step.kind) {
    case 'download':
    case 'tap':
      return `function() download(${r(step.url)}, ${r(step.name)})`;
    case 'zenodo':
      return `function() zenodo(${r(step.api)}, ${r(step.url)}, ${r(step.doi)})`;
    case 'link':
      return `function() link(${r(step.url)}, ${r(step.doi)})`;
    case 'rucio':
      return `function() rucio(${r(step.did)})`;
  }
}

export function rSource({ into, steps }: Staging): string {
  const list = steps.flatMap((step, index) => [`    # ${index + 1}. ${step.title}`, `    ${call(step)}${index + 1 < steps.length ? ',' : ''}`]);
  return [
    `# Data staging by ida-catalog: fetches the data sets you chose into ~/${commentText(into)}`,
    '# (base R; Zenodo records read with jsonlite when it is installed). Running it again fetches again.',
    'local({',
    `  into <- file.path(path.expand("~"), ${r(into)})`,
    '  dir.create(into, recursive = TRUE, showWarnings = FALSE)',
    '  old <- options(timeout = max(3600, getOption("timeout")))',
    '  on.exit(options(old))',
    '',
    '  download <- function(url, name) {',
    '    path <- file.path(into, name)',
    '    if (download.file(url, path, mode = "wb", quiet = TRUE) != 0) stop("download failed")',
    '    cat("  ", path, ": ", format(file.size(path), big.mark = ","), " bytes\\n", sep = "")',
    '  }',
    '  link <- function(url, doi) {',
    '    cat("  DOI ", doi, " is not downloaded automatically: open ", url, " and save the files you need in ", into, "\\n", sep = "")',
    '  }',
    '  zenodo <- function(api, page, doi) {',
    '    if (!requireNamespace("jsonlite", quietly = TRUE)) return(link(page, doi))',
    '    record <- tempfile(fileext = ".json")',
    '    on.exit(unlink(record))',
    '    if (download.file(api, record, mode = "wb", quiet = TRUE) != 0) stop("could not read the Zenodo record")',
    '    files <- jsonlite::fromJSON(record, simplifyVector = FALSE)$files',
    '    if (length(files) == 0) cat("  no open files: see ", page, "\\n", sep = "")',
    '    for (number in seq_along(files)) {',
    '      # The file\'s content: `links$content` in the InvenioRDM serialisation, `links$self` in Zenodo\'s legacy one.',
    '      url <- files[[number]]$links$content',
    '      if (is.null(url)) url <- files[[number]]$links$self',
    '      if (!is.character(url) || !startsWith(url, "https://zenodo.org/")) stop("unexpected file link")',
    '      key <- files[[number]]$key',
    '      name <- if (is.character(key)) substr(sub("^[.-]+", "", gsub("[^A-Za-z0-9._+-]", "_", key)), 1, 120) else ""',
    '      download(url, if (nzchar(name)) name else paste0("zenodo-file-", number))',
    '    }',
    '  }',
    '  rucio <- function(did) {',
    '    if (!nzchar(Sys.which("rucio"))) stop("the rucio client is not installed in this environment")',
    '    # system2 hands its arguments to a shell: each one is quoted.',
    '    status <- system2("rucio", shQuote(c("download", "--dir", into, "--no-subdir", did)))',
    '    if (status != 0) stop("rucio download exited with status ", status)',
    '  }',
    '',
    '  steps <- list(',
    ...list,
    '  )',
    '  failed <- 0',
    '  for (number in seq_along(steps)) {',
    '    cat(number, "/", length(steps), "\\n", sep = "")',
    '    tryCatch(steps[[number]](), error = function(e) {',
    '      failed <<- failed + 1',
    '      cat("  failed: ", conditionMessage(e), "\\n", sep = "")',
    '    })',
    '  }',
    '  if (failed > 0) stop(failed, " of ", length(steps), " data sets could not be fetched (see above)")',
    '})',
  ].join('\n');
}
