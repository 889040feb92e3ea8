namespace Lgsp.Edxml.Validation;

/// <summary>The field length limits deployed validators apply (EDXML §1), in characters.</summary>
public static class FieldLimits
{
    /// <summary>OrganName.</summary>
    public const int OrganName = 200;
    /// <summary>OrganizationInCharge.</summary>
    public const int OrganizationInCharge = 500;
    /// <summary>OrganAdd.</summary>
    public const int OrganAdd = 500;
    /// <summary>Email.</summary>
    public const int Email = 100;
    /// <summary>Telephone.</summary>
    public const int Telephone = 20;
    /// <summary>Fax.</summary>
    public const int Fax = 20;
    /// <summary>CodeNumber.</summary>
    public const int CodeNumber = 11;
    /// <summary>CodeNotation.</summary>
    public const int CodeNotation = 30;
    /// <summary>PromulgationInfo/Place.</summary>
    public const int PromulgationPlace = 50;
    /// <summary>DocumentType/TypeName.</summary>
    public const int TypeName = 100;
    /// <summary>Subject.</summary>
    public const int Subject = 500;
    /// <summary>Content.</summary>
    public const int Content = 500;
    /// <summary>ToPlaces/Place.</summary>
    public const int ToPlace = 150;
    /// <summary>OtherInfo/SphereOfPromulgation.</summary>
    public const int SphereOfPromulgation = 100;
    /// <summary>OtherInfo/TyperNotation.</summary>
    public const int TyperNotation = 10;
}
