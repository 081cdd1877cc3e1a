from analysis_utils.run.cli import main

raise SystemExit(main())
