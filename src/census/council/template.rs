//! `wfsim init --template DIR`: the three files a council fills in, each with its columns and
//! one example row, so that the first attempt has the right headers and date format.

/// The template files and their contents: the required columns first, then the optional ones,
/// and one example row (no real person).
pub const TEMPLATE_FILES: [(&str, &str); 3] = [
    (
        "staff.csv",
        "grade,fte,start_date,salary,team,case_holding\n\
         Level 2,1.0,2021-09-06,39186,Assessment,yes\n",
    ),
    (
        "leavers.csv",
        "grade,fte,start_date,leave_date,reason,destination\n\
         Level 3,0.8,2018-04-03,2024-01-31,Resigned,agency\n",
    ),
    (
        "agency.csv",
        "grade,fte,start_date,hourly_rate\n\
         Level 3,1.0,2024-06-03,45.00\n",
    ),
];
