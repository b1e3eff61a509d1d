package adrank.udfs.spark;

import adrank.udfs.rank.Drift;
import adrank.udfs.rank.Rates;
import adrank.udfs.rank.Shrinkage;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.types.DataTypes;

/**
 * Thin Spark SQL wrappers of the pure rank functions, so analysts can apply exactly the job's
 * math in SQL: {@code adrank_cpm(rev, imps)}, {@code adrank_ctr(clicks, imps)},
 * {@code adrank_cvr(convs, clicks)}, {@code adrank_weight(imps, k)},
 * {@code adrank_rank(rev, imps, parent_cpm, k)} and
 * {@code adrank_drift_z(today_convs, today_clicks, total_convs, total_clicks)}. Faulty rows make
 * the query fail with the pure function's message (which names the values), as in the jobs.
 */
public final class RankFunctions {

    private RankFunctions() {
    }

    /** Registers the functions in the session. */
    public static void register(SparkSession spark) {
        spark.udf().register("adrank_cpm", (UDF2<Long, Long, Double>) Rates::cpm, DataTypes.DoubleType);
        spark.udf().register("adrank_ctr", (UDF2<Long, Long, Double>) Rates::ctr, DataTypes.DoubleType);
        spark.udf().register("adrank_cvr", (UDF2<Long, Long, Double>) Rates::cvr, DataTypes.DoubleType);
        spark.udf().register("adrank_weight", (UDF2<Long, Double, Double>) Shrinkage::weight, DataTypes.DoubleType);
        spark.udf().register("adrank_rank",
                (UDF4<Long, Long, Double, Double, Double>) Shrinkage::rank, DataTypes.DoubleType);
        spark.udf().register("adrank_drift_z",
                (UDF4<Long, Long, Long, Long, Double>) Drift::zScore, DataTypes.DoubleType);
    }
}
