#!/usr/bin/env bash
# Factor benchmark (issue 18, item 3): `lsq fit FILE 'y ~ x1 + x2 + x3 + store'` on 1,000,000 rows
# whose `store` is a text column of 1,000 levels (bench/factorgen.py, seeded, in the git-ignored
# bench-data/), the JIT build and the native AOT build (as bench/wide.sh builds them), against
#   - R: data.table::fread + lm.fit on the sparse model matrix (Matrix::sparse.model.matrix, then
#     MatrixModels' sparse Cholesky lm.fit.sparse), the way R fits a wide factor without 8 GB;
#   - R: fread + lm() itself, and pandas + get_dummies + numpy lstsq, on the first LM_ROWS rows
#     only (default 100,000): their dense model matrix is rows x 1,004 doubles, 8 GB at 1M rows,
#     more than a shared machine should be asked for (LM_ROWS=1000000 on a big idle machine);
#   - pandas read_csv + get_dummies(sparse) + scipy's sparse normal equations on all rows.
#
#   bench/factor.sh                    # REPEAT=1 run of each (ROWS=1000000 LEVELS=1000 SEED=1)
#   NICE=0 REPEAT=3 bench/factor.sh    # on an idle machine: no nice, three runs
#
# Wall-clock times: min and median of REPEAT runs; cpu: least user + system seconds of a run;
# peak memory: the maximum resident set size GNU time reports. Every contender prints its
# x1 coefficient and the first store's; the script checks lsq's against R's.
ROWS=${ROWS:-1000000} LEVELS=${LEVELS:-1000} SEED=${SEED:-1} REPEAT=${REPEAT:-1} LM_ROWS=${LM_ROWS:-100000}
NICE=${NICE:-10}
source "$(dirname "$0")/lib.sh"
LABEL_WIDTH=52 FIGURE_WIDTH=7 COLUMNS_SHOWN="cpu peak out"

publish aot
machine

DATA=bench-data/factor-${ROWS}x${LEVELS}-${SEED}.csv
if [ ! -s "$DATA" ]; then
  echo "== generate $DATA"
  "${RUN[@]}" $PY bench/factorgen.py "$DATA.tmp" "$ROWS" "$LEVELS" "$SEED" && mv "$DATA.tmp" "$DATA"
fi
HEAD=bench-data/factor-${ROWS}x${LEVELS}-${SEED}-head${LM_ROWS}.csv
head -n $((LM_ROWS + 1)) "$DATA" >"$HEAD"
cat "$DATA" "$HEAD" >/dev/null # into the page cache: every contender reads from memory
FORMULA='y ~ x1 + x2 + x3 + store'
echo "== $ROWS rows, x1 x2 x3 and store ($LEVELS levels): $DATA, $(du -m "$DATA" | cut -f1) MB ($REPEAT run(s) each)"
echo "   (each line ends with the contender's x1 estimate and that of one store level)"
LEVEL=$(cut -d, -f4 "$HEAD" | sed 1d | LC_ALL=C sort -u | sed -n 2p) # a level that is not the reference
lsq_out() { awk -v l="store$LEVEL" '$1 == "x1" || $1 == l {print $2}' | tr '\n' ' '; }
lsqrun() { "$@" | lsq_out; }
export -f lsq_out lsqrun
export LEVEL
run "lsq fit (JIT)" bash -c "lsqrun $PUB/lsq fit $DATA '$FORMULA'"
run "lsq fit (native AOT)" bash -c "lsqrun $AOT/lsq fit $DATA '$FORMULA'"
run "lsq fit --summary (native AOT)" bash -c "lsqrun $AOT/lsq fit $DATA '$FORMULA' --summary"
if Rscript -e 'library(data.table); library(MatrixModels)' >/dev/null 2>&1; then
  run "R fread + sparse.model.matrix + lm.fit.sparse" Rscript -e "suppressMessages({library(data.table); library(Matrix); library(MatrixModels)})
d <- fread('$DATA', colClasses = list(character = 'store')); d[, store := factor(store)]
X <- sparse.model.matrix(~ x1 + x2 + x3 + store, d)
b <- MatrixModels:::lm.fit.sparse(X, d\$y, method = 'cholesky')\$coef
names(b) <- colnames(X); cat(format(b[c('x1', 'store$LEVEL')], digits = 10), '\n')"
  run "R fread + lm ($LM_ROWS rows)" Rscript -e "suppressMessages(library(data.table))
d <- fread('$HEAD', colClasses = list(character = 'store')); d[, store := factor(store)]
b <- coef(lm($FORMULA, d)); cat(format(b[c('x1', 'store$LEVEL')], digits = 10), '\n')"
else
  echo "R with data.table and MatrixModels: not installed, skipped"
fi
if $PY -c 'import pandas, scipy' 2>/dev/null; then
  run "pandas + get_dummies + numpy lstsq ($LM_ROWS rows)" $PY -c "
import numpy, pandas
d = pandas.read_csv('$HEAD', dtype={'store': str})
X = pandas.get_dummies(d[['x1', 'x2', 'x3', 'store']], columns=['store'], drop_first=True, dtype=float)
X.insert(0, 'const', 1.0)
b = numpy.linalg.lstsq(X.to_numpy(), d['y'].to_numpy(), rcond=None)[0]
print(b[1], b[list(X.columns).index('store_$LEVEL')])"
  run "pandas + get_dummies(sparse) + scipy normal eq." $PY -c "
import numpy, pandas, scipy.sparse, scipy.linalg
d = pandas.read_csv('$DATA', dtype={'store': str})
D = pandas.get_dummies(d['store'], prefix='store', drop_first=True, dtype=float, sparse=True)
S = scipy.sparse.hstack([numpy.column_stack([numpy.ones(len(d)), d[['x1', 'x2', 'x3']].to_numpy()]), D.sparse.to_coo()]).tocsr()
A = (S.T @ S).toarray(); c = S.T @ d['y'].to_numpy()
b = scipy.linalg.solve(A, c, assume_a='pos')
print(b[1], b[4 + list(D.columns).index('store_$LEVEL')])"
else
  echo "pandas/scipy: not installed, skipped"
fi
load_after
