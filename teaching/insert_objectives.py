"""One-off: insert the learning-objectives block after each chapter's title (kept for the record)."""
from pathlib import Path

OBJ = {
"introduction": [
    "explain, with the specific capacity and electrode potential of Li, why lithium metal is the anode the field wants;",
    "name the failure mechanisms of a bare Li foil (dendrites, SEI consumption, dead Li, volume change) and link each to a symptom in a cell test;",
    "convert an areal capacity into a thickness of dense lithium, and a practical Li limit into a foil thickness;",
    "use Sand's time to argue why a larger active area delays dendrites, and say which assumption top growth breaks;",
    "describe the three families of gradient hosts and the lever (chemistry, electronics or both) each one pulls.",
],
"lithiophilicity": [
    "tell apart the kinds of lithiophilic surface the review distinguishes and give a study of this chapter for each;",
    "explain how a lithiophilicity gradient on a uniformly conducting scaffold moves nucleation to the collector side;",
    "convert a symmetric-cell lifespan from hours into cycles (and back) from the current density and areal capacity;",
    "turn a cathode loading in mg/cm² into an areal capacity and check it against the review's practical threshold;",
    "argue from ionic and electronic resistances why a thick host can lose bottom-up filling that a thin one keeps.",
],
"conductivity": [
    "explain why lithium plates only where an ion meets an electron, and how an insulating top moves plating down;",
    "compare how the five hosts of Sect. 2.2 build their conductivity gradient (nanowires, one-sided metal, periodic stacks, whiskers, graded fibres);",
    "put symmetric-cell tests reported in cycles and in hours on one time axis;",
    "back out the cathode specific capacity a study assumed from its N/P ratio, pre-stored Li and loading, and judge whether it is plausible;",
    "assess the review's doubt that a conductivity gradient survives cycling once the host holds metallic lithium.",
],
"dual": [
    "explain why a host graded in both lithiophilicity and conductivity is expected to steer lithium more firmly than one gradient alone;",
    "describe how each dual-gradient host of Sect. 2.3 is layered, from the collector to the separator;",
    "estimate how many cycles the spare lithium lasts from the average CE and the N/P ratio, and compare with a full-cell result;",
    "rank reported average CEs while stating the test conditions that make such a ranking rough;",
    "predict, from the role of each layer, what a control sample without that layer should show.",
],
"models": [
    "compute Sand's time and the limiting current density for an electrolyte, and say which property changes them most;",
    "solve the porous-electrode model for a host and read off where lithium plates and what fraction lands in the bottom half;",
    "find the scaffold conductivity (relative to the electrolyte's) below which plating moves from the separator side to the collector side;",
    "estimate a cell's specific energy from cathode capacity, N/P and E/C, and price a host's mass in Wh/kg;",
    "estimate how long the spare Li lasts from CE and N/P, and the CE needed for a target cycle life.",
],
"outlook": [
    "state the review's three conditions for a practical cell (cathode capacity, Li excess, electrolyte amount) with their units;",
    "check every full cell in the data against those conditions and count which cannot be judged for lack of data;",
    "compute how thick a host of given porosity must be to hold the practical Li limit in its pores;",
    "formulate a testable design for a new gradient host and name the measurement under practical conditions that would test it.",
],
"comparisons": [
    "read a result (CE, lifespan, retention, overpotential) together with the current density, capacity and cycles it was measured at;",
    "explain why a higher number obtained at milder conditions does not make a better host;",
    "locate the studies of all three families on common axes and name the conditions under which few of them were tested;",
    "trace any plotted point back to its row in `data/measurements.csv` and its reference.",
],
"table1": [
    "read the review's Table 1: cathode, loading, N/P, electrolyte, cycles and retention of each full and pouch cell;",
    "convert the loadings in mg/cm² into areal capacities and compare them with the practical threshold;",
    "find the entries where the review disagrees with itself and say which value the book keeps and why;",
    "sort and filter the interactive table to answer a question such as 'which pouch cells use NCM cathodes?'.",
],
}


def block(name: str) -> str:
    items = "\n".join(f"- {o}" for o in OBJ[name])
    return (
        "\n```{admonition} Learning objectives\n:class: objectives\n\n"
        "After this page you can:\n\n"
        f"{items}\n\n"
        f'<a class="slides-link" href="../slides/{name}.html">Slides for this page</a> (reveal.js, work offline) ·\n'
        "symbols: {doc}`notation` · all exercises: {doc}`problems`\n"
        "```\n"
    )


if __name__ == "__main__":
    for name in OBJ:
        path = Path("chapters") / f"{name}.md"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        if any("Learning objectives" in line for line in lines):
            continue
        i = next(i for i, line in enumerate(lines) if line.startswith("# "))
        lines.insert(i + 1, block(name))
        path.write_text("".join(lines), encoding="utf-8")
