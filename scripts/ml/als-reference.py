#!/usr/bin/env python3
"""Reference ALS runs for `eddy bench als`: the same train/test JSON-lines files, trained by
 - implicit (C++/Cython, the `implicit` library) for implicit feedback, confidence 1 + alpha*r;
 - Spark MLlib's ALS (pyspark, local[2]) for explicit ratings, or a NumPy ALS-WR when Spark is missing.
Prints one JSON object: train seconds (fit only, data already in memory) and the test metrics.
"""
import argparse, json, os, sys, time

def load(path):
    users, items, values = [], [], []
    with open(path) as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                users.append(r["user_id"]); items.append(r["item_id"]); values.append(float(r["rating"]))
    return users, items, values

def index(ids):
    mapping = {}
    for i in ids:
        mapping.setdefault(i, len(mapping))
    return mapping

def run_implicit(a):
    import numpy as np, scipy.sparse as sp
    from threadpoolctl import threadpool_limits
    from implicit.cpu.als import AlternatingLeastSquares
    from implicit.evaluation import ranking_metrics_at_k
    tu, ti, tv = load(a.train)
    um, im = index(tu), index(ti)
    rows = np.array([um[u] for u in tu]); cols = np.array([im[i] for i in ti]); v = np.array(tv)
    keep = v > 0
    train = sp.csr_matrix((1 + a.alpha * v[keep], (rows[keep], cols[keep])), shape=(len(um), len(im)), dtype=np.float32)
    model = AlternatingLeastSquares(factors=a.rank, regularization=a.reg, alpha=1.0, iterations=a.iterations,
                                    calculate_training_loss=False, random_state=a.seed, num_threads=a.threads)
    with threadpool_limits(limits=1, user_api="blas"):
        start = time.perf_counter()
        model.fit(train, show_progress=False)
        seconds = time.perf_counter() - start
    out = {"library": "implicit", "train_seconds": seconds, "ratings": int(keep.sum())}
    if a.test:
        su, si, sv = load(a.test)
        tr, tc = [], []
        for u, i, r in zip(su, si, sv):
            if r > 0 and u in um and i in im:
                tr.append(um[u]); tc.append(im[i])
        test = sp.csr_matrix((np.ones(len(tr), dtype=np.float32), (tr, tc)), shape=train.shape)
        test.data[:] = 1  # duplicates summed above; relevance is binary
        m = ranking_metrics_at_k(model, train, test, K=a.k, show_progress=False)
        out.update({"precision": float(m["precision"]), "map": float(m["map"]), "ndcg": float(m["ndcg"])})
    return out

def run_spark(a):
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession
    from pyspark.ml.recommendation import ALS
    from pyspark.ml.evaluation import RegressionEvaluator
    spark = (SparkSession.builder.master(f"local[{a.threads}]").appName("eddy-bench-als")
             .config("spark.ui.enabled", "false").config("spark.driver.memory", "4g")
             .config("spark.sql.shuffle.partitions", str(a.threads * 2)).getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    try:
        def frame(path):
            u, i, v = load(path)
            return spark.createDataFrame(list(zip(u, i, v)), ["user_id", "item_id", "rating"]).cache()
        train = frame(a.train); train.count()
        als = ALS(rank=a.rank, maxIter=a.iterations, regParam=a.reg, seed=a.seed, userCol="user_id",
                  itemCol="item_id", ratingCol="rating", coldStartStrategy="drop", nonnegative=False,
                  numUserBlocks=a.threads * 2, numItemBlocks=a.threads * 2)
        start = time.perf_counter()
        model = als.fit(train)
        model.userFactors.count(); model.itemFactors.count()
        seconds = time.perf_counter() - start
        out = {"library": "spark", "train_seconds": seconds, "ratings": train.count()}
        if a.test:
            predictions = model.transform(frame(a.test))
            out["rmse"] = RegressionEvaluator(metricName="rmse", labelCol="rating").evaluate(predictions)
            out["mae"] = RegressionEvaluator(metricName="mae", labelCol="rating").evaluate(predictions)
        return out
    finally:
        spark.stop()

def run_numpy(a):
    """ALS-WR exactly as Spark formulates it (items then users, λ·n regularisation), vectorised per row."""
    import numpy as np
    tu, ti, tv = load(a.train)
    um, im = index(tu), index(ti)
    rows = np.array([um[u] for u in tu]); cols = np.array([im[i] for i in ti]); v = np.array(tv)
    rng = np.random.default_rng(a.seed)
    def init(n):
        x = rng.standard_normal((n, a.rank)); return x / np.linalg.norm(x, axis=1, keepdims=True)
    U, V = init(len(um)), init(len(im))
    by_user = [[] for _ in um]; by_item = [[] for _ in im]
    for e, (r, c) in enumerate(zip(rows, cols)):
        by_user[r].append(e); by_item[c].append(e)
    by_user = [np.array(x) for x in by_user]; by_item = [np.array(x) for x in by_item]
    eye = np.eye(a.rank)
    start = time.perf_counter()
    for _ in range(a.iterations):
        for i, es in enumerate(by_item):
            Y = U[rows[es]]; V[i] = np.linalg.solve(Y.T @ Y + a.reg * len(es) * eye, Y.T @ v[es])
        for u, es in enumerate(by_user):
            Y = V[cols[es]]; U[u] = np.linalg.solve(Y.T @ Y + a.reg * len(es) * eye, Y.T @ v[es])
    seconds = time.perf_counter() - start
    out = {"library": "numpy", "train_seconds": seconds, "ratings": len(v)}
    if a.test:
        su, si, sv = load(a.test)
        err = [r - U[um[u]] @ V[im[i]] for u, i, r in zip(su, si, sv) if u in um and i in im]
        err = np.array(err)
        out.update({"rmse": float(np.sqrt((err ** 2).mean())), "mae": float(np.abs(err).mean())})
    return out

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--library", choices=["implicit", "spark", "numpy"], required=True)
    p.add_argument("--train", required=True); p.add_argument("--test")
    p.add_argument("--rank", type=int, default=10); p.add_argument("--reg", type=float, default=0.1)
    p.add_argument("--iterations", type=int, default=10); p.add_argument("--alpha", type=float, default=40)
    p.add_argument("--k", type=int, default=10); p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    run = {"implicit": run_implicit, "spark": run_spark, "numpy": run_numpy}[a.library]
    print(json.dumps(run(a)))

if __name__ == "__main__":
    main()
