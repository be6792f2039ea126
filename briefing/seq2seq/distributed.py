"""Seq2seq generation scaled out on Ray: one model per actor, outputs identical to one process.

``--ray local|auto|ADDRESS`` (``briefing translate``, ``briefing run``) swaps the engines'
:class:`~briefing.seq2seq.generation.Generator` for a :class:`RayGenerator`. Everything else is the
single-process code: the translator splits texts into sentences, the condenser chunks articles,
the driver's :class:`~briefing.seq2seq.generation.Generator` looks its content-addressed cache up and
de-duplicates what is left. Only the generation of those distinct, uncached inputs goes out:

- the driver plans the batches exactly as the single-process path would (same tokenizer, same
  length-sorted plan under the same token budget) and each batch becomes one Ray call, so every
  actor runs the very batches one process would have run: outputs are byte-identical (under
  int8 they would be anyway, since per-row activation scales make a row's result independent of
  its batch-mates; this keeps float32 and GPU dtypes identical too);
- a pool of long-lived actors (:class:`GenerationWorker`) each load the model once (``num_gpus=1``
  per actor where the cluster has GPUs; on CPU, a share of a node's cores) and take the next
  batch as soon as they finish one, so a slow node does not hold the others up;
- results are put back in input order and stored in the driver's cache batch by batch, so an
  interrupted run keeps every finished batch; each actor also reads and writes its own node's
  cache (same folder path, one SQLite file per node: SQLite is not for network filesystems);
- an actor killed mid-run is restarted by Ray and its unfinished calls are retried
  (``max_restarts``/``max_task_retries``): the loss is the batch it was running.

Why Ray core actors and not Ray Data ``map_batches``: a ``map_batches`` pipeline starts its
actor pool per dataset execution, and one briefing run calls the generator many times (each
map-reduce round of condensing, each translation direction, each group of files), so the model
would be reloaded per call; its outputs come back unordered unless the dataset is re-sorted; and
Ray Data's strength, streaming inputs too large for the driver from storage, is not needed for
sentence lists that the driver already holds and must reassemble. Actors that live for the whole
run, fed batch by batch with ``ray.wait``, load once, keep order by batch index, and let the
driver update its cache and progress bar as each batch lands.

Ray is imported only here and only when a backend is opened; without ``--ray`` it never is.

Usage::

    backend = RayBackend.open("local", cache_dir=None, no_cache=False)   # or "auto", "host:6379"
    translator = backend.load_translator("en", "ko", cache=open_cache())
    generator = backend.generator("bart-large-cnn", cache=open_cache())  # for Seq2SeqCondenser
    backend.close()
"""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from briefing.seq2seq.device import DeviceChoice
from briefing.seq2seq.generation import Generator
from briefing.seq2seq.loading import LoadedModel, load
from briefing.seq2seq.locate import locate
from briefing.seq2seq.model_errors import ModelError, ModelNotFound
from briefing.settings import hf_cache_dir, models_dir
from briefing.translate.seq2seq import Seq2SeqTranslator

#: CPU cores (and threads) one actor gets on a CPU-only cluster by default: one model copy per core
#: keeps every core busy without threads waiting for each other (briefing.seq2seq.device), at the
#: cost of a model copy per core; BRIEFING_RAY_ACTORS=N runs N actors sharing the cores instead.
CPUS_PER_ACTOR = 1
#: Calls queued per actor: the next batch is waiting when one finishes.
IN_FLIGHT = 2
#: How often Ray restarts a dead actor and retries its unfinished calls.
RETRIES = 3
#: Seconds the actors may take to start (a worker process each) before the run gives up.
START_TIMEOUT = 300


class RayUnavailable(RuntimeError):
    """Ray is not installed, or the cluster cannot be reached; the message is one line. Not a
    ModelError: a run asked to use Ray fails rather than falling back to a weight-free engine."""


def ray_problem(setting: str | None) -> str | None:
    """Why `setting` is not a --ray value, in one line; None when it is."""
    if setting is None:
        return None
    if not setting.strip() or any(c.isspace() for c in setting.strip()):
        return f"--ray takes local, auto or a cluster address (host:port or ray://host:port), not {setting!r}"
    return None


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _cause(exc: BaseException) -> BaseException:
    """The exception an actor raised, without Ray's wrapping (RayTaskError.cause)."""
    return getattr(exc, "cause", None) or exc


def connect(setting: str, **local_kwargs: Any) -> bool:
    """Start or join a Ray runtime; True when this call started it (then close() shuts it down).

    "local" starts one on this machine (`local_kwargs` go to ray.init: num_cpus, ...), "auto"
    joins the cluster RAY_ADDRESS names (or the one `ray start` runs here), anything else is an
    address. A runtime already initialised in this process is reused.
    """
    if problem := ray_problem(setting):
        raise RayUnavailable(problem)
    try:
        import ray
    except ImportError:
        raise RayUnavailable("--ray needs the ray extra: pip install 'briefing[ray]'") from None
    if ray.is_initialized():
        return False
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    kwargs: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.ERROR}
    if setting == "local":
        kwargs.update(address="local", include_dashboard=False, **local_kwargs)
    else:
        kwargs["address"] = setting
    try:
        ray.init(**kwargs)
    except Exception as exc:  # ConnectionError, a bad address, a version mismatch: one line
        raise RayUnavailable(f"could not start or join Ray at {setting!r}: {_first_line(exc)}") from None
    return True


# ----------------------------------------------------------------------------- the actor


@dataclass(frozen=True)
class ModelRequest:
    """What an actor needs to load the driver's model on its node (again, after a restart)."""

    name: str  # registry key, Hub id or path, as the driver was given it
    models_root: str  # the driver's models/ folder: tried first, then the node's own defaults
    hf_cache: str
    device: str | None
    quantize: str | None
    revision: str  # the driver's copy; a node with other weights is refused
    engine: str | None = None  # briefing.seq2seq.loading.ENGINES (None: the node's BRIEFING_ENGINE, else auto)


class GenerationWorker:
    """One Ray actor: loads each requested model once and runs whole batches through the
    single-process Generator, with this node's cache. Ray wraps it in ray.remote lazily."""

    def __init__(self, cache_dir: str | None, flush_denormal: bool = False, threads: int | None = None):
        self.cache_dir = cache_dir
        self.flush_denormal = flush_denormal
        self.threads = threads  # the CPUs Ray gave this actor: its CPU threads
        self._cache: Any = None

    def _load(self, request: ModelRequest) -> LoadedModel:
        if self.flush_denormal:  # the driver's float environment (tests flush denormals to zero)
            import torch

            torch.set_flush_denormal(True)
        how = dict(device=request.device, quantize=request.quantize, engine=request.engine, threads=self.threads)
        try:
            loaded = load(request.name, models_root=request.models_root, hf_cache=request.hf_cache, **how)
        except ModelNotFound:  # not where the driver keeps it: this node's models/ and HF cache
            loaded = load(request.name, **how)
        if loaded.location.revision != request.revision:
            raise ModelError(
                f"node {self.node()} has {loaded.location.model_id} at revision {loaded.location.revision[:12]}, "
                f"the driver {request.revision[:12]}: install the same weights on every node"
            )
        return loaded

    def _node_cache(self) -> Any:
        if self._cache is None:
            from briefing.seq2seq.cache import Cache, open_cache

            self._cache = open_cache(self.cache_dir) if self.cache_dir else Cache(None, enabled=False)
        return self._cache

    def node(self) -> str:
        import socket

        return socket.gethostname()

    def pid(self) -> int:
        return os.getpid()

    def describe(self, request: ModelRequest) -> dict[str, Any]:
        """Load the model; how it runs here (the driver checks every actor agrees)."""
        from briefing.seq2seq.generation import rows_per_input

        loaded = self._load(request)
        return {
            "model_id": loaded.location.model_id,
            "revision": loaded.location.revision,
            "device": loaded.device.device,
            "dtype": loaded.device.dtype,
            "threads": loaded.device.threads,
            "quantized": loaded.quantized,
            "engine": loaded.engine,
            "engine_version": loaded.engine_version,
            "shared_beams": rows_per_input(loaded) == 1,
        }

    def generate(self, request: ModelRequest, spec: dict[str, Any], src_lang: str | None, texts: list[str]) -> list[str]:
        """Outputs for one batch, in order (this node's cache first)."""
        loaded = self._load(request)
        if src_lang is not None:  # M2M-100/NLLB: the source language token the driver set
            loaded.tokenizer.src_lang = src_lang
        return Generator(loaded, cache=self._node_cache(), **spec)(texts)


class WorkerPool:
    """Long-lived GenerationWorker actors, fed one batch at a time (see the module docstring)."""

    def __init__(self, actors: int | None = None, *, device: str | None = None, cache_dir: str | None = None,
                 flush_denormal: bool = False):
        import ray

        nodes = [n["Resources"] for n in ray.nodes() if n.get("Alive")]
        node_cpus = [int(r.get("CPU", 0)) for r in nodes] or [0]
        gpus = int(sum(r.get("GPU", 0) for r in nodes))
        use_gpus = gpus > 0 and (device or "auto").lower() not in ("cpu", "mps")
        if actors is None and os.environ.get("BRIEFING_RAY_ACTORS", "").strip().isdigit():
            actors = int(os.environ["BRIEFING_RAY_ACTORS"])
        if use_gpus:
            count, cpus, gpus_each = actors or gpus, 1, 1
        else:
            biggest = max(node_cpus)
            if biggest < 1:
                raise RayUnavailable("the Ray cluster has no CPU for an actor")
            cpus = max(1, min(biggest, CPUS_PER_ACTOR) if actors is None else min(biggest, sum(node_cpus) // actors))
            count, gpus_each = actors or max(1, sum(c // cpus for c in node_cpus)), 0
        if count < 1:
            raise RayUnavailable("--ray needs at least one actor")
        remote = ray.remote(GenerationWorker).options(
            num_cpus=cpus, num_gpus=gpus_each, max_restarts=RETRIES, max_task_retries=RETRIES,
            scheduling_strategy="SPREAD",
        )
        self.actors = [remote.remote(cache_dir, flush_denormal, None if use_gpus else cpus) for _ in range(count)]
        self.cpus_per_actor = cpus
        self.gpus_per_actor = gpus_each
        ready, _ = ray.wait([a.pid.remote() for a in self.actors], num_returns=count, timeout=START_TIMEOUT)
        if len(ready) < count:  # no room for them: other jobs hold the CPUs/GPUs they need
            wanted = self.describe()
            self.close()
            raise RayUnavailable(
                f"only {len(ready)} of {count} Ray actors ({wanted}) started within {START_TIMEOUT} s: "
                "the cluster has no room for them"
            )

    def __len__(self) -> int:
        return len(self.actors)

    def describe(self) -> str:
        each = f"{self.gpus_per_actor} GPU" if self.gpus_per_actor else f"{self.cpus_per_actor} CPU"
        return f"{len(self.actors)} actor{'s' if len(self.actors) != 1 else ''} ({each} each)"

    def on_all(self, method: str, *args: Any) -> list[Any]:
        """Call `method` on every actor and wait (loading a model everywhere)."""
        import ray

        try:
            return ray.get([getattr(a, method).remote(*args) for a in self.actors])
        except Exception as exc:
            raise _as_model_error(exc) from None

    def map(self, args: tuple, shards: Sequence[list[str]], done: Callable[[int, list[str]], None]) -> None:
        """generate(*args, shard) for every shard; `done(index, outputs)` as each lands."""
        import ray

        queue = deque(range(len(shards)))
        pending: dict[Any, tuple[int, int]] = {}

        def submit(actor: int) -> None:
            index = queue.popleft()
            pending[self.actors[actor].generate.remote(*args, shards[index])] = (index, actor)

        for _ in range(IN_FLIGHT):
            for actor in range(len(self.actors)):
                if queue:
                    submit(actor)
        try:
            while pending:
                ready, _ = ray.wait(list(pending), num_returns=1)
                index, actor = pending.pop(ready[0])
                try:
                    outputs = ray.get(ready[0])
                except Exception as exc:
                    raise _as_model_error(exc) from None
                done(index, outputs)
                if queue:
                    submit(actor)
        finally:
            for ref in pending:  # an error or an interrupt: drop the rest
                try:
                    ray.cancel(ref)
                except Exception:  # already finished, or its actor is gone
                    pass

    def close(self) -> None:
        import ray

        for actor in self.actors:
            ray.kill(actor)
        self.actors = []


def _as_model_error(exc: BaseException) -> ModelError:
    cause = _cause(exc)
    if isinstance(cause, ModelError):
        return ModelError(_first_line(cause))
    return ModelError(f"a Ray worker failed ({type(cause).__name__}: {_first_line(cause)})")


# ----------------------------------------------------------------------------- the driver side


@dataclass
class RayGenerator(Generator):
    """A Generator whose uncached, distinct inputs are generated by a WorkerPool.

    Cache look-up, de-duplication and reassembly are the parent's; the batches are planned here
    exactly as the parent plans them, and each batch is one actor call."""

    pool: Any = None
    request: ModelRequest | None = None
    rows_per_input: int | None = None  # 1 where beams share the encoder output (the actors say)

    @classmethod
    def like(cls, generator: Generator, **extra: Any) -> RayGenerator:
        return cls(**{f.name: getattr(generator, f.name) for f in fields(Generator)}, **extra)

    def spec(self) -> dict[str, Any]:
        """The Generator settings an actor rebuilds this generator from."""
        keep = ("settings", "prompt", "token_budget", "max_batch", "max_input_tokens", "cross_kv", "generate_kwargs")
        return {name: getattr(self, name) for name in keep}

    def generate_uncached(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> list[str]:
        started = time.perf_counter()
        texts = list(texts)
        ids = self.tokenizer([self.render(t) for t in texts], truncation=True, max_length=self.max_input_tokens)["input_ids"]
        batches = self.plan_batches([len(x) for x in ids], rows_per_input=self.rows_per_input)
        out: list[str] = [""] * len(texts)

        def done(index: int, outputs: list[str]) -> None:
            batch = batches[index]
            for i, text in zip(batch, outputs):
                out[i] = text
            if self.cache is not None:  # finished batches survive an interruption
                self.cache.put_many({self.cache_key(texts[i]): text for i, text in zip(batch, outputs)})
            self.stats.batches += 1
            self.stats.generated += len(batch)
            if progress:
                progress(len(batch))

        src_lang = getattr(self.tokenizer, "src_lang", None)
        self.pool.map((self.request, self.spec(), src_lang), [[texts[i] for i in b] for b in batches], done)
        self.stats.seconds += time.perf_counter() - started
        return out


@dataclass
class RaySeq2SeqTranslator(Seq2SeqTranslator):
    """The seq2seq translator with its generators on a WorkerPool; outputs and describe() are
    the single-process translator's."""

    pool: Any = None
    request: ModelRequest | None = None
    rows_per_input: int | None = None

    def _generator(self, source: str, target: str) -> Any:
        key = (source, target)
        if not isinstance(self._generators.get(key), RayGenerator):
            local = super()._generator(source, target)  # checks the direction, sets language tokens
            self._generators[key] = RayGenerator.like(
                local, pool=self.pool, request=self.request, rows_per_input=self.rows_per_input
            )
        return self._generators[key]


def _flush_denormal_on() -> bool:
    """Whether this process flushes denormal floats to zero (actors then do the same)."""
    import sys

    torch = sys.modules.get("torch")
    if torch is None:
        return False
    return float(torch.tensor([1e-40], dtype=torch.float32).mul(1.0).item()) == 0.0


@dataclass
class RayBackend:
    """A Ray runtime and its actor pool, and the model-backed engines built on them."""

    setting: str
    pool: WorkerPool
    started: bool = False
    device: str | None = None
    quantize: str | None = None
    engine: str | None = None
    _models: dict[tuple, tuple[LoadedModel, ModelRequest, int | None]] = field(default_factory=dict, repr=False)

    @classmethod
    def open(cls, setting: str, *, actors: int | None = None, device: str | None = None,
             quantize: str | None = None, cache_dir: Path | str | None = None, no_cache: bool = False,
             engine: str | None = None, **local_kwargs: Any) -> RayBackend:
        """Join or start Ray (see connect) and start the actors; nothing is loaded yet."""
        started = connect(setting, **local_kwargs)
        try:
            node_cache = None
            if not no_cache:
                from briefing.seq2seq.cache import default_cache_dir

                node_cache = str(Path(cache_dir).expanduser() if cache_dir else default_cache_dir())
            pool = WorkerPool(actors, device=device, cache_dir=node_cache, flush_denormal=_flush_denormal_on())
        except BaseException:
            if started:
                import ray

                ray.shutdown()
            raise
        return cls(setting, pool, started, device, quantize, engine)

    def describe(self) -> str:
        return f"ray {self.setting}: {self.pool.describe()}"

    def model(self, name: str, *, models_root: Path | str | None = None,
              hf_cache: Path | str | None = None) -> tuple[LoadedModel, ModelRequest, int | None]:
        """(the driver's stand-in LoadedModel: tokenizer and config, no weights; the request
        actors load from; rows per input) for `name`, loading it on every actor once."""
        location = locate(name, models_root=models_root, hf_cache=hf_cache)
        request = ModelRequest(
            name, str(models_root or models_dir()), str(hf_cache or hf_cache_dir()),
            self.device, self.quantize, location.revision, self.engine,
        )
        if request in self._models:
            return self._models[request]
        infos = self.pool.on_all("describe", request)
        ways = {tuple(sorted((k, v) for k, v in info.items() if k != "threads")) for info in infos}
        if len(ways) > 1:
            raise ModelError(f"the Ray actors run {location.model_id} differently ({'; '.join(map(str, ways))}): "
                             "use nodes of one kind, or --device")
        info = infos[0]
        from transformers import AutoConfig, AutoTokenizer

        try:
            tokenizer = AutoTokenizer.from_pretrained(str(location.path), local_files_only=True)
            config = AutoConfig.from_pretrained(str(location.path), local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ModelError(f"could not load {location.describe()}: {_first_line(exc)}") from exc
        stub = LoadedModel(
            SimpleNamespace(config=config), tokenizer, location,
            DeviceChoice(info["device"], info["dtype"], info["threads"]), info["quantized"],
            engine=info["engine"], engine_version=info["engine_version"],
        )
        self._models[request] = (stub, request, 1 if info["shared_beams"] else None)
        return self._models[request]

    def generator(self, name: str, *, cache: Any = None, models_root: Path | str | None = None,
                  hf_cache: Path | str | None = None) -> RayGenerator:
        """A RayGenerator for `name` (the condenser's generator)."""
        stub, request, rows = self.model(name, models_root=models_root, hf_cache=hf_cache)
        return RayGenerator(stub, cache=cache, pool=self.pool, request=request, rows_per_input=rows)

    def translator(self, name: str, *, cache: Any = None, models_root: Path | str | None = None,
                   hf_cache: Path | str | None = None, **kwargs: Any) -> RaySeq2SeqTranslator:
        stub, request, rows = self.model(name, models_root=models_root, hf_cache=hf_cache)
        return RaySeq2SeqTranslator(stub, cache=cache, pool=self.pool, request=request, rows_per_input=rows, **kwargs)

    def load_translator(self, source: str, target: str, *, model: str | None = None, cache: Any = None,
                        device: str | None = None, quantize: str | None = None, **kwargs: Any) -> RaySeq2SeqTranslator:
        """briefing.translate.seq2seq.load_translator, on the actors (whose device and
        quantisation were set when the backend was opened: `device` and `quantize` are ignored)."""
        from briefing.seq2seq.registry import load_registry
        from briefing.translate.seq2seq import job_for

        name = model or load_registry().default(job_for(source, target)).key
        return self.translator(name, cache=cache, **kwargs)

    def close(self) -> None:
        """Stop the actors; shut Ray down if open() started it."""
        self.pool.close()
        if self.started:
            import ray

            ray.shutdown()
            self.started = False
