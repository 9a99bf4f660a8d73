# CDash dashboard settings: `ctest -D Experimental` configures, builds, tests and submits here.
set(CTEST_PROJECT_NAME "CTPrep")
set(CTEST_NIGHTLY_START_TIME "01:00:00 UTC")
set(CTEST_SUBMIT_URL "https://my.cdash.org/submit.php?project=CTPrep")
set(CTEST_DROP_SITE_CDASH TRUE)
