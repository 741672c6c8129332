/* Figure marks (inline SVG <a class="rf-mark">): a tooltip on hover and on keyboard focus, with a link to the
   bibliography entry and, when the entry has a DOI, to the paper itself. The mark's <title> moves into data-rf-tip so the browser's own tooltip does not double ours;
   its aria-label (the same text) stays the accessible name. No network, no framework. */
(() => {
  const tip = document.createElement('div');
  tip.className = 'rf-tip';
  tip.id = 'rf-tip';
  tip.setAttribute('role', 'tooltip');
  tip.hidden = true;
  let hideTimer = null;

  function prepare() {
    document.body.appendChild(tip);
    for (const a of document.querySelectorAll('svg.rf-linked a.rf-mark')) {
      const title = a.querySelector('title');
      if (title) { a.dataset.rfTip = title.textContent; title.remove(); }
    }
  }

  function addLink(href, text, className) {
    if (!href) return;
    const link = document.createElement('a');
    link.href = href;
    link.textContent = text;
    link.className = className;
    tip.appendChild(link);
  }

  function show(a) {
    clearTimeout(hideTimer);
    const lines = (a.dataset.rfTip || a.getAttribute('aria-label') || '').split('\n');
    tip.replaceChildren();
    lines.forEach((line, i) => {
      const div = document.createElement('div');
      div.textContent = line;
      if (i === 0) div.className = 'rf-tip-head';
      tip.appendChild(div);
    });
    addLink(a.dataset.rfBib, 'Bibliography entry', 'rf-tip-bib');
    addLink(a.dataset.rfDoi, 'The paper (DOI)', 'rf-tip-doi');
    tip.hidden = false;
    const box = a.getBoundingClientRect();
    const width = tip.offsetWidth;
    let left = box.right + 10;
    if (left + width > document.documentElement.clientWidth - 8) left = Math.max(8, box.left - width - 10);
    tip.style.left = `${left + window.scrollX}px`;
    tip.style.top = `${box.top + window.scrollY - 4}px`;
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(() => { tip.hidden = true; }, 250);
  }

  const markOf = (e) => (e.target instanceof Element ? e.target.closest('a.rf-mark') : null);
  document.addEventListener('mouseover', (e) => { const a = markOf(e); if (a) show(a); });
  document.addEventListener('mouseout', (e) => { if (markOf(e)) hideSoon(); });
  document.addEventListener('focusin', (e) => { const a = markOf(e); if (a) show(a); });
  document.addEventListener('focusout', (e) => { if (markOf(e)) hideSoon(); });
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape') tip.hidden = true; });
  tip.addEventListener('mouseover', () => clearTimeout(hideTimer));
  tip.addEventListener('mouseout', hideSoon);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', prepare);
  else prepare();
})();
