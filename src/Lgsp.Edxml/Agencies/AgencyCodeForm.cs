namespace Lgsp.Edxml.Agencies;

/// <summary>The two written forms of an agency identifier (mã định danh) in use on the axis.</summary>
public enum AgencyCodeForm
{
    /// <summary>QCVN 102:2016: <c>LLL.LL.LL.XNN</c>, read right to left (<c>L4.L3.L2.L1</c>),
    /// e.g. <c>000.00.00.H56</c>.</summary>
    Qcvn102,

    /// <summary>Decision 20/2020/QĐ-TTg: groups growing left to right from the level-1 group,
    /// e.g. <c>G12.18.112.001</c>; at most 35 characters.</summary>
    Decision20,
}
