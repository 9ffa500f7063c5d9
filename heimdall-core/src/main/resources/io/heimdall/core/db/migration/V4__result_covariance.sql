-- A result's uncertainty as the localiser states it: the 2x2 covariance of the position in
-- east/north metres squared at the estimate, and the level of the region whose posterior mass
-- `confidence` now holds. latitude/longitude_uncertainty_m keep their 1-sigma meaning
-- (sqrt of the north/north and east/east terms).
ALTER TABLE task_results
    ADD COLUMN covariance_ee_m2 float8
        CONSTRAINT results_covariance_ee_check CHECK (covariance_ee_m2 >= 0 AND covariance_ee_m2 < 'Infinity'),
    ADD COLUMN covariance_en_m2 float8
        CONSTRAINT results_covariance_en_check CHECK (covariance_en_m2 > '-Infinity' AND covariance_en_m2 < 'Infinity'),
    ADD COLUMN covariance_nn_m2 float8
        CONSTRAINT results_covariance_nn_check CHECK (covariance_nn_m2 >= 0 AND covariance_nn_m2 < 'Infinity'),
    ADD COLUMN region_level float8
        CONSTRAINT results_region_level_check CHECK (region_level > 0 AND region_level < 1);
