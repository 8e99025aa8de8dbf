//! `spendsense personas`.

use std::io::{self, Write};
use std::process::ExitCode;

use spendsense_personas::{PayPlan, Personas};

use crate::Failure;
use crate::args::{PersonasArgs, PersonasFormat};

pub fn run(args: PersonasArgs) -> Result<ExitCode, Failure> {
    let personas = crate::commands::load_personas(args.personas.as_deref())?;
    let mut out = io::stdout().lock();
    match args.format {
        PersonasFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &personas)?;
            writeln!(out)?;
        }
        PersonasFormat::Table => write_table(&mut out, &personas)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Renders the definitions and criteria as aligned text.
pub fn write_table(out: &mut impl Write, personas: &Personas) -> io::Result<()> {
    writeln!(
        out,
        "{:<19} {:<15} {:<16} {:<10} {:<6} {:<13} {:<9} {:<12} savings",
        "persona",
        "income $",
        "pay",
        "buffer mo",
        "cards",
        "utilization",
        "recurring",
        "savings $/mo"
    )?;
    for d in &personas.definitions {
        let pay = match &d.pay {
            PayPlan::Regular { .. } => "regular".to_string(),
            PayPlan::Irregular { median_gap_days } => format!("gap {median_gap_days} d"),
        };
        let utilization = if d.credit_cards.max == 0 {
            "-".to_string()
        } else {
            format!("{} ±{}", d.target_utilization, d.utilization_jitter)
        };
        let savings = match d.savings_account_percent {
            0 => "never".to_string(),
            100.. => "always".to_string(),
            p => format!("{p}%"),
        };
        writeln!(
            out,
            "{:<19} {:<15} {:<16} {:<10} {:<6} {:<13} {:<9} {:<12} {}",
            d.id.as_str(),
            d.annual_income.to_string(),
            pay,
            d.checking_buffer_months.to_string(),
            d.credit_cards.to_string(),
            utilization,
            d.subscriptions.to_string(),
            d.savings_monthly.to_string(),
            savings
        )?;
    }
    let c = &personas.criteria;
    writeln!(out)?;
    writeln!(out, "detection criteria (priority order):")?;
    writeln!(
        out,
        "  high_utilization    some credit card at >= {} of its limit",
        c.high_utilization_min
    )?;
    writeln!(
        out,
        "  variable_income     median pay gap > {} days and checking buffer < {} month",
        c.variable_income_gap_above_days, c.variable_income_buffer_below_months
    )?;
    writeln!(
        out,
        "  subscription_heavy  >= {} recurring merchants",
        c.subscription_heavy_min_merchants
    )?;
    writeln!(
        out,
        "  savings_builder     savings account, inflow >= ${}/month, every card < {} utilization",
        c.savings_builder_min_inflow, c.savings_builder_utilization_below
    )?;
    writeln!(out, "  control             none of the above")?;
    Ok(())
}
