"""Allocation engine at scale: 20,000 applications, 12 offerings, 35 member states, ~400 seats.

Prints, for each phase, the best wall-clock and CPU time of a few runs (the machine may be shared;
CPU time is the steadier figure): reading the problem (JSON → Problem, checked), building the flow
network (with pruning), solving it, writing waitlists and reasons, and `allocate()` end to end;
then the size of the network and the peak memory of the process. Target: the solve — network and
solver — within 1 s. Run: `python bench/allocation.py`.
"""

import math
import random
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from faro.scholarships import allocation

APPLICATIONS, OFFERINGS, STATES, RUNS = 20_000, 12, 35, 3


def generate(seed: int = 2020, cap_total: int | None = 16) -> dict[str, Any]:
    """A call like 2020's, scaled up: popular and quiet offerings, big and small member states."""
    rng = random.Random(seed)
    offerings = [{"id": f"O{i + 1:02d}", "seats": rng.randint(25, 42)} for i in range(OFFERINGS)]
    popularity = [rng.uniform(0.3, 3.0) for _ in offerings]
    states = [f"S{i + 1:02d}" for i in range(STATES)]
    size = [rng.paretovariate(1.2) for _ in states]
    applicants = []
    for i in range(APPLICATIONS):
        choices = rng.choices(range(OFFERINGS), weights=popularity, k=6)
        preferences = list(dict.fromkeys(offerings[c]["id"] for c in choices))[: rng.randint(1, 3)]
        applicants.append(
            {
                "id": f"a{i:05d}",
                "country": rng.choices(states, weights=size)[0],
                "merit": round(min(100.0, max(0.0, rng.gauss(68, 12))), 2),
                "preferences": preferences,
                "endorsement_rank": rng.randint(1, 60) if rng.random() < 0.7 else None,
                "eligible": rng.random() < 0.9,
            }
        )
    return {"offerings": offerings, "country_cap": 3, "country_cap_total": cap_total, "applicants": applicants}


def timed(label: str, function: Callable[[], Any]) -> Any:
    """Run `function` RUNS times; print the best wall-clock and CPU seconds; return its value."""
    walls, cpus = [], []
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        value = function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    print(f"  {label:<26} wall {min(walls):6.3f} s   cpu {min(cpus):6.3f} s")
    return value


def run(cap_total: int | None) -> None:
    data = generate(cap_total=cap_total)
    seats = sum(o["seats"] for o in data["offerings"])
    print(
        f"{APPLICATIONS} applications, {OFFERINGS} offerings ({seats} seats), {STATES} member states, "
        f"country_cap 3, country_cap_total {cap_total} — best of {RUNS} runs"
    )
    problem = timed("read (JSON → Problem)", lambda: allocation.parse_problem(data))
    network = timed("build network (pruned)", lambda: allocation._build_network(problem))
    assignments = timed("build + solve (the solve)", lambda: allocation._build_network(problem).solve())
    waitlists = timed("waitlists", lambda: allocation._waitlists(problem, assignments))
    timed("reasons", lambda: allocation._Explainer(problem, assignments, waitlists).reasons())
    result = timed("allocate() end to end", lambda: allocation.allocate(problem))
    print(
        f"  network: {len(network.countries)} of {len(problem.applicants)} applicants kept, "
        f"{len(network.award_arcs)} award arcs, {network.flow.num_nodes()} nodes, {network.flow.num_arcs()} arcs, "
        f"merit grid 1e-{round(math.log10(network.weights.top_merit))} of the top merit"
    )
    print(f"  objective: {result.objective}; {len(result.assignments)} awards")


def main() -> None:
    run(cap_total=16)
    run(cap_total=None)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS of the process, problem data included): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
