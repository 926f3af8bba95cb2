// The e-textbook reader: pdf.js (pdfjs-dist from npm, served from this site) draws one page at a time on a
// canvas, so books read on Android Chrome, where a PDF in an <iframe> does not render. The page number
// stays in the address (?page=N, the book's own numbering); the previous/next links, the page form and the
// chapter links are plain links that also work without JavaScript (the page then offers the download).
const root = document.querySelector("[data-pdf-reader]");

async function start() {
  const pdfjs = await import(root.dataset.pdfjs);
  pdfjs.GlobalWorkerOptions.workerSrc = root.dataset.worker;
  const pdf = await pdfjs.getDocument({
    url: root.dataset.file,
    isEvalSupported: false,
    standardFontDataUrl: root.dataset.fonts,
  }).promise;
  const canvas = root.querySelector("canvas");
  const status = root.querySelector("[data-page-status]");
  const input = root.querySelector("input[name=page]");
  const links = document.querySelectorAll("a[data-page]");
  const total = pdf.numPages;
  let current = Number(root.dataset.page) || 1;
  let task = null;

  async function show(number, push) {
    current = Math.min(Math.max(number, 1), total);
    const page = await pdf.getPage(current);
    const width = canvas.parentElement.clientWidth || 360;
    const base = page.getViewport({ scale: 1 });
    const ratio = window.devicePixelRatio || 1;
    const viewport = page.getViewport({ scale: (width / base.width) * ratio });
    canvas.width = viewport.width;
    canvas.height = viewport.height;
    canvas.style.width = `${viewport.width / ratio}px`;
    if (task) { task.cancel(); }
    task = page.render({ canvasContext: canvas.getContext("2d"), viewport, canvas });
    try { await task.promise; } catch (error) { if (error.name !== "RenderingCancelledException") { throw error; } }
    input.value = current;
    status.textContent = status.dataset.template.replace("%(page)s", current).replace("%(total)s", total);
    root.querySelector("[data-prev]").toggleAttribute("hidden", current <= 1);
    root.querySelector("[data-next]").toggleAttribute("hidden", current >= total);
    root.querySelector("[data-prev]").href = `?page=${current - 1}`;
    root.querySelector("[data-next]").href = `?page=${current + 1}`;
    links.forEach((link) => {
      if (Number(link.dataset.page) === current) { link.setAttribute("aria-current", "page"); }
      else { link.removeAttribute("aria-current"); }
    });
    const address = new URL(window.location.href);
    address.searchParams.set("page", current);
    if (push) { window.history.pushState({ page: current }, "", address); }
    else { window.history.replaceState({ page: current }, "", address); }
    root.dataset.rendered = String(current);
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-page], a[data-prev], a[data-next]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    event.preventDefault();
    const target = link.dataset.page ? Number(link.dataset.page)
      : current + (link.hasAttribute("data-next") ? 1 : -1);
    show(target, true).then(() => canvas.scrollIntoView({ block: "start" }));
  });
  root.querySelector("form").addEventListener("submit", (event) => {
    event.preventDefault();
    show(Number(input.value) || 1, true);
  });
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, select, textarea")) { return; }
    if (event.key === "ArrowRight") { show(current + 1, true); }
    if (event.key === "ArrowLeft") { show(current - 1, true); }
  });
  window.addEventListener("popstate", (event) => { show((event.state && event.state.page) || 1, false); });
  root.classList.add("k12-reader-ready");
  await show(current, false);
}

if (root) {
  start().catch((error) => {
    root.classList.add("k12-reader-failed");
    root.dataset.error = String(error);
  });
}
