"""Arrow's batch pipeline on Apache Spark: parse, merge, disambiguate, group versions, build shards.

Python is only the glue: every decision about the data is made by `arrow batch STAGE`, the Rust binary, run by
RDD.pipe over each partition (see crates/batch). Spark does what it is for: spreading files and partitions over
executors, shuffling lines to where they must meet, retrying lost tasks. Lines carry their routing keys in front,
tab-separated, so the glue never parses a record's JSON.

    spark-submit spark/job.py --arrow BIN --shards N --out DIR [--skip-bad] [--curations FILE] INPUT...
"""

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request

from pyspark import SparkConf, SparkContext, StorageLevel


def mix(x):
    """A stable 64-bit mix of an integer (Python's own hash of an int is the int itself)."""
    x = (x ^ (x >> 31)) * 0xBF58476D1CE4E5B9 % (1 << 64)
    return x ^ (x >> 29)


def components(edges):
    """(vertex, label) for every vertex of the (u, v) edges: label = least vertex of its connected component, by
    label propagation (as many rounds as the longest path; identifier and version graphs are shallow)."""
    adj = edges.flatMap(lambda e: [(e[0], e[1]), (e[1], e[0])]).distinct().persist()
    labels = adj.map(lambda kv: (kv[0], min(kv))).reduceByKey(min).persist()
    while True:
        sent = adj.join(labels).map(lambda kv: (kv[1][0], kv[1][1]))
        new = labels.union(sent).reduceByKey(min).persist()
        changed = new.join(labels).filter(lambda kv: kv[1][0] != kv[1][1]).count()
        labels.unpersist()
        labels = new
        if changed == 0:
            return labels


# A table with at most this many rows is looked up on the executors (a broadcast join) instead of shuffling the
# big side to it. Identifier components with more than one record, and components linked by versions, are a
# small part of any corpus; above the limit the job falls back to shuffle joins.
BROADCAST_ROWS = 2_000_000


class Job:
    def __init__(self, sc, args):
        self.sc = sc
        self.args = args
        self.parts = args.partitions or max(2, sc.defaultParallelism * 2)
        self.timings = {}
        self.started = time.time()
        # What the distributed run must share with single-node Arrow, from the binary itself.
        self.settings = json.loads(os.popen(f"{shlex.quote(args.arrow)} batch settings").read())

    def lookup(self, big, small, default):
        """(key, (value, small[key] or default(key))) for every (key, value) of `big`: a broadcast join when
        `small` is small, else a shuffle join."""
        if small.count() <= BROADCAST_ROWS:
            table = self.sc.broadcast(dict(small.collect()))
            return big.map(lambda kv: (kv[0], (kv[1], table.value.get(kv[0], default(kv[0])))))
        return big.leftOuterJoin(small, self.parts) \
            .map(lambda kv: (kv[0], (kv[1][0], default(kv[0]) if kv[1][1] is None else kv[1][1])))

    def stage(self, rdd, name):
        """The Rust stage `name` over each partition of `rdd` (lines in, lines out); a failing stage fails the
        task, which Spark retries and then reports."""
        return rdd.pipe(f"{shlex.quote(self.args.arrow)} batch {name}", checkCode=True)

    def timed(self, name, rdd):
        """Runs `rdd` now (persisted), so that each stage's wall time is its own."""
        t = time.time()
        rdd = rdd.persist(StorageLevel.MEMORY_AND_DISK)
        n = rdd.count()
        self.timings[name] = round(time.time() - t, 2)
        print(f"arrow-spark: {name}: {n} lines, {self.timings[name]} s", file=sys.stderr, flush=True)
        return rdd

    def run(self):
        a = self.args
        files = [f"{i}\t{p}" for i, p in enumerate(a.inputs)]
        # 1. Parse: one task per file (compressed files cannot be split).
        parsed = self.timed("parse", self.stage(self.sc.parallelize(files, len(files)), "parse"))
        errors = parsed.filter(lambda l: l.startswith("E\t")).map(lambda l: json.loads(l[2:])["error"])
        n_errors = errors.count()
        first_errors = errors.take(20)
        persons = parsed.filter(lambda l: l.startswith("P\t")).map(lambda l: json.loads(l[2:])["persons"]).sum()
        if n_errors and not a.skip_bad:
            for e in first_errors:
                print(f"arrow-spark: bad record: {e}", file=sys.stderr)
            print(f"arrow-spark: {n_errors} bad record(s); nothing was written (rerun with --skip-bad to leave "
                  "them out)", file=sys.stderr)
            return 65
        # (order, keys, line) of every record.
        records = parsed.filter(lambda l: l.startswith("R\t")).map(lambda l: l.split("\t", 3)) \
            .map(lambda f: (int(f[1]), (f[2].split("\x1f"), f[3])))

        # 2. Merge: records sharing an identifier are one component; each component's records meet in one
        # partition, in input order, and go through the store's own upsert.
        ident = records.flatMap(lambda r: [(k, r[0]) for k in r[1][0]])
        shared = ident.groupByKey().mapValues(sorted).filter(lambda kv: len(kv[1]) > 1)
        edges = shared.flatMap(lambda kv: [(kv[1][0], o) for o in kv[1][1:]])
        labels = components(edges)
        with_c = self.lookup(records, labels, lambda o: o).map(lambda kv: (kv[0], kv[1][1], kv[1][0][1]))
        with_c = self.timed("components", with_c)  # (o, c, line)
        to_merge = with_c.map(lambda r: ((r[1], r[0]), f"{r[1]}\t{r[2]}")) \
            .repartitionAndSortWithinPartitions(self.parts, partitionFunc=lambda k: mix(k[0])).values()
        works = self.timed("merge", self.stage(to_merge, "merge"))  # o \t c \t id \t WorkLine

        # 3. People: mentions by block, giant blocks split into sub-blocks (arrow_engine::sub_block: the single-node
        # rule; only the few giant keys go through the driver); blocks in key order cut into batches by running
        # count (arrow_engine::batch_of, from prefix sums); each batch whole, in order, in one partition.
        mentions = self.timed("mentions", self.stage(works, "mentions"))  # block sub part o slot MentionLine
        fields = mentions.map(lambda l: l.split("\t", 5))
        count = lambda rdd: rdd.map(lambda k: (k, 1)).reduceByKey(lambda x, y: x + y)  # noqa: E731
        cap = self.settings["max_block_mentions"]
        giant = set(count(fields.map(lambda f: f[0])).filter(lambda kv: kv[1] > cap).keys().collect())
        level1 = fields.map(lambda f: (f[1] if f[0] in giant else f[0], f))
        giant_subs = set(count(level1.filter(lambda kv: kv[0] != kv[1][0]).keys())
                         .filter(lambda kv: kv[1] > cap).keys().collect())
        final = level1.map(lambda kv: (kv[1][2] if kv[0] in giant_subs else kv[0], kv[1])) \
            .map(lambda kv: (kv[0], (int(kv[1][3]), int(kv[1][4]), kv[1][5]))).persist()
        sizes = count(final.keys()).sortByKey(numPartitions=self.parts).persist()
        self.largest_blocks = count(fields.map(lambda f: f[0])).top(10, key=lambda kv: kv[1])
        self.giant = {"blocks": sorted(giant), "sub_blocks_split_further": sorted(giant_subs)}
        totals = sizes.mapPartitions(lambda it: [sum(n for _, n in it)]).collect()
        offsets = [sum(totals[:i]) for i in range(len(totals))]
        per_batch = self.settings["batch_mentions"]

        def batches(index, it):
            before = offsets[index]
            for block, n in it:
                yield block, before // per_batch
                before += n
        batch_of = sizes.mapPartitionsWithIndex(batches)
        routed = final.join(batch_of, self.parts).map(
            lambda kv: ((kv[1][1], kv[0], kv[1][0][0], kv[1][0][1]), f"{kv[1][1]}\t{kv[0]}\t{kv[1][0][2]}"))
        ordered = routed.repartitionAndSortWithinPartitions(self.parts, partitionFunc=lambda k: mix(k[0])).values()
        people = self.timed("people", self.stage(ordered, "people"))
        # P, work, component, json
        person_lines = people.filter(lambda l: l.startswith("P\t")).map(lambda l: l.split("\t", 3))
        named = self.named(people)
        person_lines = self.readings(named, person_lines, final)
        if a.curations:
            person_lines = self.curate(person_lines, named)
        # Explanations use the model of the largest batch, as single-node Arrow does.
        model = people.filter(lambda l: l.startswith("M\t")).map(lambda l: l.split("\t", 2)) \
            .map(lambda f: (int(f[1]), json.loads(f[2])["model"])).max(key=lambda x: x[0])[1] \
            if not people.isEmpty() else ""

        # 4. Versions: works bucketed by title key hash; each bucket whole to the version rule; groups are the
        # connected components of its links.
        keys = self.stage(works, "version-keys").map(lambda l: tuple(l.split("\t", 1)))
        buckets = keys.groupByKey(self.parts).filter(lambda kv: len(kv[1]) > 1) \
            .map(lambda kv: '{"h":%s,"e":[%s]}' % (kv[0], ",".join(kv[1])))
        links = self.timed("versions", self.stage(buckets, "version-links").map(json.loads))
        group_of = components(links.map(lambda x: (x["a"], x["b"])))  # work order -> group label
        ids = links.flatMap(lambda x: [(x["a"], x["ia"]), (x["b"], x["ib"])]).distinct()
        component_of = links.flatMap(lambda x: [(x["a"], x["ca"]), (x["b"], x["cb"])]).distinct()
        # Components whose works are versions of one another are stored in one shard: the shard of their anchor
        # (the least component linked to them).
        anchors = components(links.map(lambda x: (x["ca"], x["cb"])))
        groups = group_of.join(ids).join(component_of) \
            .map(lambda kv: (kv[1][1], kv[1][0])).join(anchors) \
            .map(lambda kv: (kv[1][0][0], (kv[1][0][1], kv[1][1]))).groupByKey()  # label -> [(id, anchor)]

        # 5. Shards: each a complete data directory. A work's shard is its anchor's.
        n = a.shards
        out = os.path.abspath(a.out)
        recs = self.lookup(with_c.map(lambda r: (r[1], (r[0], r[2]))), anchors, lambda c: c) \
            .map(lambda kv: (mix(kv[1][1]) % n, kv[1][0][0], kv[1][0][1]))  # shard, o, line
        people_routed = self.lookup(person_lines.map(lambda f: (int(f[2]), f[3])), anchors, lambda c: c) \
            .map(lambda kv: ((mix(kv[1][1]) % n, 2, 0), '{"person":%s}' % kv[1][0]))
        lines = self.sc.union([
            self.sc.parallelize([((i, 0, 0), json.dumps({"dir": f"{out}/shard-{i}"})) for i in range(n)], 1),
            self.sc.parallelize([((i, 1, 0), json.dumps({"model": model})) for i in range(n)], 1),
            people_routed,
            groups.map(lambda kv: ((mix(list(kv[1])[0][1]) % n, 3, kv[0]),
                                   json.dumps({"versions": sorted(i for i, _ in kv[1])}))),
            recs.map(lambda r: ((r[0], 4, r[1]), '{"record":%s}' % r[2])),
        ])
        built = self.stage(
            lines.repartitionAndSortWithinPartitions(n, partitionFunc=lambda k: k[0]).values(), "build")
        t = time.time()
        summaries = [json.loads(s) for s in built.collect()]
        self.timings["build"] = round(time.time() - t, 2)

        # people.jsonl: one line per authorship, written by the executors in parts, then joined.
        parts_dir = os.path.join(out, "people.parts")
        shutil.rmtree(parts_dir, ignore_errors=True)
        person_lines.map(lambda f: f[3]).saveAsTextFile(parts_dir)
        with open(os.path.join(out, "people.jsonl"), "wb") as dst:
            for name in sorted(os.listdir(parts_dir)):
                if name.startswith("part-"):
                    with open(os.path.join(parts_dir, name), "rb") as src:
                        shutil.copyfileobj(src, dst)
        shutil.rmtree(parts_dir, ignore_errors=True)

        summary = {
            "inputs": a.inputs,
            "records": records.count(),
            "bad_records": n_errors,
            "first_bad_records": first_errors,
            "dblp_person_records_not_carried": persons,
            "works": sum(s["works"] for s in summaries),
            "authorships": person_lines.count(),
            "people": person_lines.map(lambda f: json.loads(f[3])["person"]).distinct().count(),
            "version_groups": sum(s["version_groups"] for s in summaries),
            "joined_readings": self.joined_readings,
            "curations": getattr(self, "curations", None),
            "largest_blocks": self.largest_blocks,
            "giant_blocks_split": self.giant,
            "shards": sorted(summaries, key=lambda s: s["shard"]),
            "seconds": {**self.timings, "total": round(time.time() - self.started, 2)},
        }
        summary.update(self.metrics())
        with open(os.path.join(out, "summary.json"), "w") as f:
            json.dump(summary, f, indent=1)
        print(json.dumps({k: v for k, v in summary.items() if k != "shards"}, indent=1))
        return 0

    def readings(self, named, person_lines, final):
        """People holding two readings of one name ("Wang Wei" / "Wei Wang"), which no block compared, joined as
        `arrow disambiguate` joins them: the run's distinct names go to `arrow batch reading-names` on the driver;
        every mention of the people holding a name it returns (a few) to `arrow batch readings`, whose renames every
        partition's people lines go through (`rename`)."""
        a = self.args
        t = time.time()
        out = os.path.abspath(a.out)
        names_file = os.path.join(out, "names.jsonl")
        with open(names_file, "w", encoding="utf-8") as f:
            for name in named.map(lambda f: f[5]).distinct().toLocalIterator():
                f.write(name + "\n")
        # Names are JSON strings, one a line; JSON leaves U+2028 and the like unescaped, so lines end at "\n" only.
        found = subprocess.run([a.arrow, "batch", "reading-names", "--names", names_file], capture_output=True,
                               encoding="utf-8", check=True).stdout
        found = [n for n in found.split("\n") if n]
        involved = self.sc.broadcast(set(found))
        holders = self.sc.broadcast(set(named.filter(lambda f: f[5] in involved.value).map(lambda f: f[3]).collect()))
        at = self.sc.broadcast(dict(named.filter(lambda f: f[3] in holders.value)
                                    .map(lambda f: ((int(f[1]), int(f[2])), f[3])).collect()))
        rows = final.values().filter(lambda m: (m[0], m[1]) in at.value) \
            .map(lambda m: f"{at.value[(m[0], m[1])]}\t{m[2]}").collect()
        done = subprocess.run([a.arrow, "batch", "readings", "--names", names_file], input="\n".join(rows) + "\n",
                              capture_output=True, encoding="utf-8", check=True).stdout
        os.remove(names_file)
        renames_file = os.path.join(out, "reading-renames.json")
        with open(renames_file, "w", encoding="utf-8") as f:
            f.write(done)
        self.joined_readings = len(json.loads(done)["renames"])
        print(f"arrow-spark: readings: {len(found)} names read as another, {len(holders.value)} people "
              f"holding them, {self.joined_readings} joined", file=sys.stderr, flush=True)
        if self.joined_readings:
            lines = person_lines.map(lambda f: "\t".join(f))
            renamed = self.stage(lines, f"rename --renames {shlex.quote(renames_file)}")
            person_lines = self.timed("readings (rename)", renamed.map(lambda l: l.split("\t", 3)))
        self.timings["readings"] = round(time.time() - t, 2)
        return person_lines

    @staticmethod
    def named(people):
        """The name of every mention, from the `people` stage: [N, order, slot, person, work, name (JSON)]."""
        return people.filter(lambda l: l.startswith("N\t")).map(lambda l: l.split("\t", 5))

    def curate(self, person_lines, named_lines):
        """Curators' corrections over the people found: the people lines of the works the curations name, and the
        names written there (a curated mention follows its author where a work's author list changed since), go
        to `arrow batch curate` on the driver (a few), whose labels every partition's lines go through
        (`relabel`)."""
        a = self.args
        with open(a.curations) as f:
            curations = json.load(f)
        named = {m.rsplit("#", 1)[0] for c in curations if not c.get("undone") for m in c.get("mentions", [])}
        wanted = self.sc.broadcast(named)
        rows = person_lines.filter(lambda f: f[1] in wanted.value).map(lambda f: f[3]).collect()
        rows += named_lines.filter(lambda f: f[4] in wanted.value).map(lambda f: f"N\t{f[4]}\t{f[2]}\t{f[5]}").collect()
        labels = os.path.join(os.path.abspath(a.out), "curation-labels.json")
        done = subprocess.run([a.arrow, "batch", "curate", "--curations", a.curations], input="\n".join(rows) + "\n",
                              capture_output=True, encoding="utf-8", check=True)
        with open(labels, "w") as f:
            f.write(done.stdout)
        self.curations = json.loads(done.stdout)
        self.curations.pop("labels", None)
        print(f"arrow-spark: curations: {self.curations}", file=sys.stderr, flush=True)
        lines = person_lines.map(lambda f: "\t".join(f))
        relabeled = self.stage(lines, f"relabel --labels {shlex.quote(labels)}")
        return self.timed("curations", relabeled.map(lambda l: l.split("\t", 3)))

    def metrics(self):
        """Shuffle bytes and peak memory per executor, from Spark's own REST API (best effort)."""
        try:
            base = f"{self.sc.uiWebUrl}/api/v1/applications/{self.sc.applicationId}"
            stages = json.load(urllib.request.urlopen(f"{base}/stages", timeout=10))
            execs = json.load(urllib.request.urlopen(f"{base}/allexecutors", timeout=10))
        except Exception as e:  # the figures are extra; the job's result stands without them
            return {"metrics_error": str(e)}
        peaks = {}
        for e in execs:
            if e.get("id") == "driver":
                continue
            m = e.get("peakMemoryMetrics") or {}
            peaks[e["id"]] = {k: m.get(k) for k in ("JVMHeapMemory", "ProcessTreeJVMRSSMemory",
                                                     "ProcessTreePythonRSSMemory", "ProcessTreeOtherRSSMemory")}
        return {
            "shuffle_write_bytes": sum(s.get("shuffleWriteBytes", 0) for s in stages),
            "shuffle_read_bytes": sum(s.get("shuffleReadBytes", 0) for s in stages),
            "executor_peaks": peaks,
        }


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--arrow", required=True, help="the arrow binary, on every executor's machine")
    p.add_argument("--shards", type=int, default=1)
    p.add_argument("--out", required=True)
    p.add_argument("--skip-bad", action="store_true", help="leave bad records out (reported) instead of stopping")
    p.add_argument("--partitions", type=int, default=0)
    p.add_argument("--curations", help="curators' corrections: what `arrow curate history --json` printed")
    p.add_argument("inputs", nargs="+")
    args = p.parse_args()
    args.inputs = [os.path.abspath(i) for i in args.inputs]
    if args.curations:
        args.curations = os.path.abspath(args.curations)
    os.makedirs(args.out, exist_ok=True)
    # Python's sorts and groupings spill to disk past this, so that an executor's memory is bounded by settings.
    conf = SparkConf().setAppName("arrow-batch") \
        .set("spark.python.worker.memory", "256m") \
        .set("spark.executor.processTreeMetrics.enabled", "true") \
        .set("spark.executor.metrics.pollingInterval", "1s")
    sc = SparkContext(conf=conf)
    sc.setLogLevel("WARN")
    try:
        code = Job(sc, args).run()
    finally:
        sc.stop()
    sys.exit(code)


if __name__ == "__main__":
    main()
